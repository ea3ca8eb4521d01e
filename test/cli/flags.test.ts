import { describe, expect, it } from 'vitest';
import { defineFlags, parseFlags } from '../../src/cli/flags.ts';
import { UsageError } from '../../contract/errors.ts';

const flags = defineFlags({
  out: { type: 'string', valueName: 'DIR', default: 'gitops', aliases: ['dir'], description: 'the tree' },
  format: { type: 'string', default: 'text', choices: ['text', 'json'], description: 'the format' },
  to: { type: 'string', valueName: 'ENV', description: 'the target' },
  namespace: { type: 'string', env: 'POD_NAMESPACE', required: true, description: 'the namespace' },
  port: { type: 'integer', default: 5432, min: 1, max: 65535, description: 'the port' },
  check: { type: 'boolean', short: 'c', description: 'compare only' },
});
const env = { POD_NAMESPACE: 'pr-7' };

describe('parseFlags', () => {
  it('applies defaults, the environment fallback and types', () => {
    expect(parseFlags(flags, [], env)).toEqual({ out: 'gitops', format: 'text', to: undefined, namespace: 'pr-7', port: 5432, check: false });
    expect(parseFlags(flags, ['--out', 'deploy', '--to', 'prod', '--namespace', 'x', '--port', '6543', '-c'], env)).toEqual({
      out: 'deploy',
      format: 'text',
      to: 'prod',
      namespace: 'x',
      port: 6543,
      check: true,
    });
  });

  it('takes an alias for the flag it names, and refuses two names of one flag that disagree', () => {
    expect(parseFlags(flags, ['--dir', 'deploy'], env).out).toBe('deploy');
    expect(parseFlags(flags, ['--dir', 'deploy', '--out', 'deploy'], env).out).toBe('deploy');
    expect(() => parseFlags(flags, ['--dir', 'a', '--out', 'b'], env)).toThrow(new UsageError('--out and --dir are the same flag: give it once'));
  });

  it.each([
    [['--chek'], "Unknown option '--chek'"],
    [['--format', 'xml'], '--format: expected "text" or "json", got "xml"'],
    [['--port', '0'], '--port: expected an integer 1-65535, got "0"'],
    [['--port', '80.5'], '--port: expected an integer 1-65535, got "80.5"'],
    [['--to'], "Option '--to <value>' argument missing"],
    [['positional'], "Unexpected argument 'positional'"],
  ])('refuses %j with a usage error naming the flag', (argv, message) => {
    expect(() => parseFlags(flags, argv, env)).toThrow(UsageError);
    expect(() => parseFlags(flags, argv, env)).toThrow(message);
  });

  it('says what a required flag is for when it is missing and its variable is unset', () => {
    expect(() => parseFlags(flags, [], {})).toThrow(new UsageError('--namespace VALUE is required (the namespace)'));
  });
});

describe('list flags', () => {
  const listFlags = defineFlags({
    from: { type: 'list', valueName: 'PATH', operands: true, description: 'manifests to import' },
    app: { type: 'string', description: 'the name' },
  });

  it('collect every value given, and the operands when they take them', () => {
    expect(parseFlags(listFlags, [], {})).toEqual({ from: [], app: undefined });
    expect(parseFlags(listFlags, ['--from', 'a.yaml', 'b/', '--app', 'shop', '--from', 'c.yaml'], {})).toEqual({
      from: ['a.yaml', 'c.yaml', 'b/'],
      app: 'shop',
    });
  });

  it('leave operands a usage error for verbs whose flags do not take them', () => {
    const noOperands = defineFlags({ from: { type: 'list', description: 'manifests' } });
    expect(parseFlags(noOperands, ['--from', 'a', '--from', 'b'], {})).toEqual({ from: ['a', 'b'] });
    expect(() => parseFlags(noOperands, ['--from', 'a', 'b'], {})).toThrow(
      new UsageError("Unexpected argument 'b'. This command does not take positional arguments"),
    );
  });
});
