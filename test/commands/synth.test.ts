import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../../src/gitops/write.ts';
import { dynenv as runProcess, dynenvInProcess, spawnDynenv } from '../support/cli.ts';
import { exampleWorkspace, REPO_ROOT } from '../support/workspace.ts';

/** The command line's behaviour, in this process; `dynenvProcess`: the real binary, for the smoke tests. */
const dynenv = (cwd: string, ...args: string[]) => dynenvInProcess(cwd, args);
const dynenvProcess = (cwd: string, ...args: string[]) => runProcess(cwd, args);

describe('dynenv synth', () => {
  it('writes the tree, summarising the changes per part of it, then finds nothing to do (the real binary)', async () => {
    const dir = await exampleWorkspace();
    const first = await dynenvProcess(dir, 'synth');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^base: 15 added, 0 changed, 0 removed$/m);
    expect(first.stdout).toMatch(/^overlays\/prod: \d+ added, 0 changed, 0 removed$/m);
    expect(first.stdout).toContain('  + gitops/overlays/prod/kustomization.yaml');
    const second = await dynenvProcess(dir, 'synth');
    expect(second).toEqual({ code: 0, stdout: 'gitops/ is up to date: nothing written\n', stderr: expect.any(String) });
  });

  it('with --check, exits 1 and lists the stale files, and exits 0 once the tree is fresh', async () => {
    const dir = await exampleWorkspace();
    await dynenv(dir, 'synth');
    const config = path.join(dir, 'dynenv.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('LOG_LEVEL: warn', 'LOG_LEVEL: error'));
    const before = await readTree(path.join(dir, 'gitops'));
    const stale = await dynenv(dir, 'synth', '--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('gitops/ is stale: it differs from what dynenv.yaml synthesizes.');
    expect(stale.stderr).toContain('overlays/prod: 0 added, 6 changed, 0 removed');
    expect(stale.stderr).toContain('  ~ gitops/overlays/prod/patches/configmap-api-config.yaml');
    expect([...(await readTree(path.join(dir, 'gitops')))]).toEqual([...before]);
    await dynenv(dir, 'synth');
    expect(await dynenv(dir, 'synth', '--check')).toMatchObject({ code: 0, stdout: 'gitops/ is up to date with dynenv.yaml\n' });
  });

  it('takes --config and --out', async () => {
    const dir = await exampleWorkspace();
    await writeFile(path.join(dir, 'other.yaml'), (await readFile(path.join(dir, 'dynenv.yaml'), 'utf8')).replace('  path: gitops\n', '  path: deploy\n'));
    expect((await dynenv(dir, 'synth', '--config', 'other.yaml', '--out', 'deploy')).code).toBe(0);
    expect((await readTree(path.join(dir, 'deploy'))).has('overlays/dev/kustomization.yaml')).toBe(true);
  });

  it('refuses an --out other than repository.path, where Argo CD reads the tree, writing nothing', async () => {
    const dir = await exampleWorkspace();
    const result = await dynenv(dir, 'synth', '--out', 'deploy');
    expect(result).toMatchObject({
      code: 1,
      stderr:
        'dynenv synth: --out deploy is not where Argo CD reads the tree: repository.path in dynenv.yaml is "gitops" (gitops). Run with --out gitops, or change repository.path to the folder you mean.\n',
    });
    expect((await readTree(path.join(dir, 'deploy'))).size).toBe(0);
  });

  it('reports a bad configuration with every problem and a non-zero exit, writing nothing', async () => {
    const dir = await exampleWorkspace();
    const config = path.join(dir, 'dynenv.yaml');
    const text = (await readFile(config, 'utf8')).replace('port: 3000', 'port: http').replace('replicas: 3', 'replicas: -1');
    await writeFile(config, text);
    const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
    const result = await dynenv(dir, 'synth');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'dynenv synth: 2 problems:\n' +
        `  dynenv.yaml:${lineOf('port: http')}:5: services.web.port: expected an integer 1-65535, got "http"\n` +
        `  dynenv.yaml:${lineOf('replicas: -1')}:5: environments.prod.replicas: expected an integer 0-1000, got -1\n`,
    );
    expect((await readTree(path.join(dir, 'gitops'))).size).toBe(0);
  });

  it('rejects an unknown flag with a usage error', async () => {
    const dir = await exampleWorkspace();
    const result = await dynenv(dir, 'synth', '--chek');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--chek'");
  });

  it('leaves the committed tree of this repository exactly as synthesis writes it', async () => {
    expect(await dynenv(REPO_ROOT, 'synth', '--check')).toMatchObject({ code: 0 });
  });
});

describe('dynenv schema', () => {
  it('prints the JSON Schema of dynenv.yaml, which the committed dynenv.schema.json equals', async () => {
    const result = await dynenv(REPO_ROOT, 'schema');
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.title).toBe('dynenv.yaml');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['app', 'services']);
    expect(schema.properties.services.items.properties.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(result.stdout).toBe(await readFile(path.join(REPO_ROOT, 'dynenv.schema.json'), 'utf8'));
  });
});

describe('dynenv', () => {
  it('lists its commands and rejects an unknown one', async () => {
    const help = await dynenv(REPO_ROOT, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}synth {18}synthesize dynenv.yaml/m);
    expect(help.stdout).toMatch(/^ {2}propose {16}synthesize gitops\/ and open \(or update\) a pull request with the changes$/m);
    expect(help.stdout).toMatch(/^ {2}promote {16}promote an image digest into staging or prod through a pull request/m);
    expect(help.stdout).toMatch(/^ {2}history {16}list the digests an environment ran, newest first/m);
    const unknown = await dynenv(REPO_ROOT, 'deploy');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('dynenv: unknown command "deploy"');
  });

  it('stops quietly when its reader closes the pipe early, as `dynenv schema | head` does', async () => {
    const child = spawnDynenv(['schema'], { cwd: REPO_ROOT, stdio: 'pipe' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Closed before the command writes anything, so its first write meets a closed pipe.
    child.stdout!.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
