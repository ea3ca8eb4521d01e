/** `--help` and `--version` as people expect them, answered by the real command line from the verbs' declarations. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flags } from '../../src/cli/flags.ts';
import { VERBS } from '../../src/cli/verbs.ts';
import { dynenv } from '../support/cli.ts';
import { REPO_ROOT } from '../support/workspace.ts';

describe('dynenv <verb> --help', () => {
  it.each(VERBS.map((verb) => [verb.name, verb] as const))('%s lists every flag it takes, with its default', async (name, verb) => {
    const help = await dynenv(REPO_ROOT, [name, '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(new RegExp(`^usage: dynenv ${name}\\b`));
    for (const [flag, declaration] of Object.entries(verb.flags as Flags)) {
      const line = help.stdout.split('\n').find((candidate) => candidate.startsWith(`  --${flag}`) || candidate.includes(`, --${flag}`));
      expect(line, `--${flag}`).toBeDefined();
      expect(line).toContain(declaration.description);
      if (declaration.type !== 'boolean' && declaration.type !== 'list' && declaration.default !== undefined)
        expect(line).toContain(`default: ${declaration.default}`);
    }
    expect(help.stdout).toMatch(/^ {2}-h, --help +show this help and exit$/m);
    for (const variable of verb.environment ?? []) expect(help.stdout).toMatch(new RegExp(`^ {2}${variable.name} `, 'm'));
  });

  it('answers -h, `dynenv help <verb>` and --help after other flags the same way', async () => {
    const expected = (await dynenv(REPO_ROOT, ['validate', '--help'])).stdout;
    expect(await dynenv(REPO_ROOT, ['validate', '-h'])).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(await dynenv(REPO_ROOT, ['help', 'validate'])).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(await dynenv(REPO_ROOT, ['validate', '--format', 'xml', '--nonsense', '--help'])).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('shows an alias beside the flag it stands for', async () => {
    expect((await dynenv(REPO_ROOT, ['validate', '--help'])).stdout).toMatch(/^ {2}--out DIR +the GitOps tree to validate \(default: gitops; also --dir\)$/m);
  });
});

describe('dynenv --version', () => {
  it("prints the package's version", async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await dynenv(REPO_ROOT, ['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
