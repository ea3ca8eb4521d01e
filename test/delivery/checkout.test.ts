import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCheckout, originUrl, pathInCheckout, requireCleanWorkingTree } from '../../src/delivery/checkout.ts';
import { rejection } from '../support/errors.ts';
import { createGitFixture, git } from '../support/git-fixture.ts';
import { tempDir } from '../support/workspace.ts';

describe('the checkout', () => {
  it('is found from any folder inside it, and paths are named from its root', async () => {
    const { work } = await createGitFixture();
    const checkout = await openCheckout(path.join(work, 'gitops/overlays'));
    expect(checkout.head).toBe(await git(work, 'rev-parse', 'HEAD'));
    expect(await pathInCheckout(checkout, path.join(work, 'gitops'), 'overlays/prod', 'the tree')).toBe('gitops/overlays/prod');
    expect((await rejection(pathInCheckout(checkout, work, '../elsewhere.yaml', 'the configuration'))).message).toBe(
      `the configuration ../elsewhere.yaml is outside the repository at ${checkout.root}`,
    );
  });

  it('refuses a folder outside any repository, a repository without commits, and one without origin', async () => {
    const outside = await tempDir();
    expect((await rejection(openCheckout(outside))).message).toBe(`${outside} is not inside a git repository: run dynenv in a clone of the repository`);
    await git(outside, 'init', '--quiet');
    expect((await rejection(openCheckout(outside))).message).toMatch(/has no commit yet: commit dynenv\.yaml and gitops\/ first$/);
    await git(outside, 'commit', '--quiet', '--allow-empty', '-m', 'first');
    expect((await rejection(originUrl(await openCheckout(outside)))).message).toMatch(
      /has no remote "origin": add it \(git remote add origin <url>\) and run again$/,
    );
  });

  it('counts staged, unstaged, renamed and untracked files under dynenv.yaml and gitops/, and ignores the rest of the repository', async () => {
    const { work } = await createGitFixture();
    await writeFile(path.join(work, 'README.md'), '# checkout\n');
    await git(work, 'add', 'README.md');
    await git(work, 'commit', '--quiet', '-m', 'Add a README');
    const checkout = await openCheckout(work);
    await writeFile(path.join(work, 'README.md'), 'being edited\n', { flag: 'a' });
    await writeFile(path.join(work, 'scratch.txt'), 'not watched\n');
    await requireCleanWorkingTree(checkout, ['dynenv.yaml', 'gitops'], 'dynenv propose');

    await git(work, 'mv', 'gitops/overlays/dev/namespace.yaml', 'gitops/overlays/dev/ns.yaml');
    await writeFile(path.join(work, 'gitops/base/new.yaml'), 'kind: ConfigMap\n');
    await writeFile(path.join(work, 'dynenv.yaml'), '# edited\n', { flag: 'a' });
    expect((await rejection(requireCleanWorkingTree(checkout, ['gitops', 'dynenv.yaml'], 'dynenv propose'))).message).toBe(
      'uncommitted changes to gitops, dynenv.yaml (M dynenv.yaml, R gitops/overlays/dev/ns.yaml, ?? gitops/base/new.yaml): dynenv propose ' +
        'builds its branch from commits and would leave them out. Commit or stash them, then run it again.',
    );
  });
});
