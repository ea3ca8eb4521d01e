/**
 * Issue 10, finding 2: synthesis owns only what it wrote. A pull request that commits `gitops` as a link to
 * `../..`, or a user who types `--out .`, must not make `dynenv synth` delete or replace anything it did not
 * write; every refusal names the path and why, and changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { cp, lstat, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireNoLinkOnPath } from '../../src/gitops/output-folder.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { readTree } from '../../src/gitops/write.ts';
import { GENERATED_FIRST_LINE } from '../../src/gitops/yaml-style.ts';
import { dynenvInProcess as dynenv } from '../support/cli.ts';
import { rejection } from '../support/errors.ts';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';

/**
 * A checkout in `<parent>/repo` (with a `.git`, the example's dynenv.yaml and a source file) beside a file of
 * someone else's in `<parent>/precious.txt`.
 */
async function checkoutBesideOtherFiles() {
  const parent = await tempDir();
  const repo = path.join(parent, 'repo');
  await mkdir(path.join(repo, '.git'), { recursive: true });
  await writeFile(path.join(repo, '.git/HEAD'), 'ref: refs/heads/main\n');
  await cp(path.join(REPO_ROOT, 'dynenv.yaml'), path.join(repo, 'dynenv.yaml'));
  await mkdir(path.join(repo, 'src'));
  await writeFile(path.join(repo, 'src/app.ts'), 'export {};\n');
  await writeFile(path.join(parent, 'precious.txt'), 'not dynenv’s\n');
  return { parent, repo, everything: () => readTree(parent) };
}

describe('synth refuses an output folder that is not its own, and changes nothing', () => {
  it('regression: a `gitops` committed as a link to ../.. is refused, by synth and by synth --check', async () => {
    const { repo, everything } = await checkoutBesideOtherFiles();
    await symlink('../..', path.join(repo, 'gitops'));
    const before = await everything();
    for (const args of [['synth'], ['synth', '--check']]) {
      const result = await dynenv(repo, args);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `dynenv synth: gitops: passes through the symbolic link gitops (→ ../..), which could point anywhere. ` +
          'dynenv writes only a folder of its own (such as "gitops") and changed nothing.\n',
      );
    }
    expect(await everything()).toEqual(before);
    expect(await readlink(path.join(repo, 'gitops'))).toBe('../..');
  });

  it('refuses a folder reached through a link higher up (--out deploy/gitops, deploy a link)', async () => {
    const { parent, repo, everything } = await checkoutBesideOtherFiles();
    await mkdir(path.join(parent, 'elsewhere'));
    await symlink(path.join(parent, 'elsewhere'), path.join(repo, 'deploy'));
    const before = await everything();
    const result = await dynenv(repo, ['synth', '--out', 'deploy/gitops']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`deploy/gitops: passes through the symbolic link deploy (→ ${path.join(parent, 'elsewhere')})`);
    expect(await everything()).toEqual(before);
  });

  it('refuses --out . (the repository root): .git and dynenv.yaml stay', async () => {
    const { repo, everything } = await checkoutBesideOtherFiles();
    const before = await everything();
    const result = await dynenv(repo, ['synth', '--out', '.']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`.: is the repository root (${repo}). dynenv writes only a folder of its own`);
    expect(await everything()).toEqual(before);
    expect(await readFile(path.join(repo, '.git/HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
  });

  it('refuses a folder that holds the repository root (--out ..)', async () => {
    const { repo, everything } = await checkoutBesideOtherFiles();
    const before = await everything();
    const result = await dynenv(repo, ['synth', '--out', '..']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`..: holds the repository root ${repo}.`);
    expect(await everything()).toEqual(before);
  });

  it('refuses a folder that holds a .git (another checkout, a submodule)', async () => {
    const { repo, everything } = await checkoutBesideOtherFiles();
    await mkdir(path.join(repo, 'vendor/lib/.git'), { recursive: true });
    await writeFile(path.join(repo, 'vendor/lib/README'), 'a library\n');
    const before = await everything();
    const result = await dynenv(repo, ['synth', '--out', 'vendor']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('vendor: holds vendor/lib/.git, a Git repository.');
    expect(await everything()).toEqual(before);
  });

  it('refuses a folder that holds the configuration file (--config conf/dynenv.yaml --out conf)', async () => {
    const { repo, everything } = await checkoutBesideOtherFiles();
    await mkdir(path.join(repo, 'conf'));
    await cp(path.join(repo, 'dynenv.yaml'), path.join(repo, 'conf/dynenv.yaml'));
    const before = await everything();
    const result = await dynenv(repo, ['synth', '--config', 'conf/dynenv.yaml', '--out', 'conf']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('conf: holds the configuration file conf/dynenv.yaml.');
    expect(await everything()).toEqual(before);
  });

  it('refuses an output path that is a file', async () => {
    const { repo, everything } = await checkoutBesideOtherFiles();
    await writeFile(path.join(repo, 'gitops'), 'a file\n');
    const before = await everything();
    const error = await rejection(synthesize({ configFile: path.join(repo, 'dynenv.yaml'), outDir: path.join(repo, 'gitops') }));
    expect((error as Error).message).toBe(`${path.join(repo, 'gitops')}: is a file, not a folder. dynenv writes only a folder of its own (such as "gitops") and changed nothing.`);
    expect(await everything()).toEqual(before);
  });
});

describe('inside its folder, synth replaces and deletes only files that carry its header, and follows no link', () => {
  async function synthesizedCheckout() {
    const checkout = await checkoutBesideOtherFiles();
    const out = path.join(checkout.repo, 'gitops');
    const run = (check = false) => synthesize({ configFile: path.join(checkout.repo, 'dynenv.yaml'), outDir: out, check });
    await run();
    return { ...checkout, out, run };
  }

  it('keeps files it did not write (a README, a hand-made overlay) and says so; deletes its own stale files', async () => {
    const { out, run } = await synthesizedCheckout();
    await writeFile(path.join(out, 'README.md'), '# our notes\n');
    await mkdir(path.join(out, 'overlays/qa'));
    await writeFile(path.join(out, 'overlays/qa/kustomization.yaml'), 'resources: [../../base]\n');
    await writeFile(path.join(out, 'overlays/dev/old.yaml'), `${GENERATED_FIRST_LINE}kind: ConfigMap\n`);
    const changes = await run();
    expect(changes).toEqual({ added: [], changed: [], removed: ['overlays/dev/old.yaml'], foreign: ['README.md', 'overlays/qa/kustomization.yaml'] });
    expect(await readFile(path.join(out, 'README.md'), 'utf8')).toBe('# our notes\n');
    expect(await readFile(path.join(out, 'overlays/qa/kustomization.yaml'), 'utf8')).toBe('resources: [../../base]\n');
    await expect(lstat(path.join(out, 'overlays/dev/old.yaml'))).rejects.toThrow('ENOENT');
  });

  it('the CLI names the files it left alone', async () => {
    const { repo, out } = await synthesizedCheckout();
    await writeFile(path.join(out, 'README.md'), '# our notes\n');
    const result = await dynenv(repo, ['synth']);
    expect(result).toMatchObject({ code: 0, stdout: 'gitops/ is up to date: nothing written\n' });
    expect(result.stderr).toBe('note: left as they are, not written by dynenv (no generated-file header, or a symbolic link):\n  gitops/README.md\n');
  });

  it('refuses to overwrite a file without its header where the tree has one, naming it, and changes nothing', async () => {
    const { out, run, everything } = await synthesizedCheckout();
    await writeFile(path.join(out, 'overlays/dev/namespace.yaml'), 'kind: Namespace # edited by hand\n');
    const before = await everything();
    const error = await rejection(run());
    expect((error as Error).message).toBe(
      `${out}: dynenv writes only files of its own and changed nothing:\n` +
        `  ${out}/overlays/dev/namespace.yaml: not written by dynenv (it does not begin with the generated-file header); dynenv does not overwrite it\n` +
        'Move these out of the way (or restore them from git), then run synth again.',
    );
    expect(await everything()).toEqual(before);
  });

  it('never writes through, nor replaces, a link where it writes a file or a folder', async () => {
    const { parent, out, run, everything } = await synthesizedCheckout();
    await rm(path.join(out, 'overlays/dev/namespace.yaml'));
    await symlink(path.join(parent, 'precious.txt'), path.join(out, 'overlays/dev/namespace.yaml'));
    await rm(path.join(out, 'base/api'), { recursive: true });
    await mkdir(path.join(parent, 'outside'));
    await symlink(path.join(parent, 'outside'), path.join(out, 'base/api'));
    const before = await everything();
    const message = (await rejection(run())) as Error;
    expect(message.message).toContain(`${out}/base/api: a symbolic link where dynenv writes base/api/configmap.yaml; dynenv never writes through or replaces a link`);
    expect(message.message).toContain(`${out}/overlays/dev/namespace.yaml: a symbolic link where dynenv writes overlays/dev/namespace.yaml`);
    expect(await everything()).toEqual(before);
    expect(await readFile(path.join(parent, 'precious.txt'), 'utf8')).toBe('not dynenv’s\n');
    expect((await lstat(path.join(out, 'base/api'))).isSymbolicLink()).toBe(true);
    expect((await lstat(path.join(out, 'overlays/dev/namespace.yaml'))).isSymbolicLink()).toBe(true);
  });

  it('leaves a link that is not in its way alone, without following it, and does not open a FIFO', async () => {
    const { parent, out, run } = await synthesizedCheckout();
    await symlink(path.join(parent, 'precious.txt'), path.join(out, 'overlays/dev/notes.yaml'));
    execFileSync('mkfifo', [path.join(out, 'overlays/dev/pipe')]);
    const changes = await run();
    expect(changes.foreign).toEqual(['overlays/dev/notes.yaml', 'overlays/dev/pipe']);
    expect(changes.removed).toEqual([]);
    expect(await readlink(path.join(out, 'overlays/dev/notes.yaml'))).toBe(path.join(parent, 'precious.txt'));
    expect((await lstat(path.join(out, 'overlays/dev/pipe'))).isFIFO()).toBe(true);
  });
});

describe('requireNoLinkOnPath (the temporary worktrees of propose and promote)', () => {
  it('refuses a path that passes through a link in the commit, naming it, and accepts real folders', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'gitops/overlays/prod'), { recursive: true });
    await expect(requireNoLinkOnPath(root, 'gitops/overlays/prod/kustomization.yaml', 'dynenv promote')).resolves.toBeUndefined();
    await symlink('/etc', path.join(root, 'gitops/overlays/staging'));
    expect(((await rejection(requireNoLinkOnPath(root, 'gitops/overlays/staging/kustomization.yaml', 'dynenv promote'))) as Error).message).toBe(
      'dynenv promote: gitops/overlays/staging is a symbolic link in the commit (→ /etc); dynenv does not write through links, ' +
        'which could point anywhere. Replace it with a real folder. Nothing was changed.',
    );
  });
});
