import { spawnSync } from 'node:child_process';
import { mkdtemp, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeAbandonedWorktrees, WORKTREE_PARENT_PREFIX, worktreeLockReason } from '../../src/delivery/abandoned-worktrees.ts';
import { Git } from '../../src/delivery/git.ts';
import { createGitFixture, git } from '../support/git-fixture.ts';
import { tempDir } from '../support/workspace.ts';

describe('removeAbandonedWorktrees', () => {
  it('regression: removes the worktree of a run that was killed, never one of a live run or one locked by someone else', async () => {
    const fixture = await createGitFixture();
    const tmp = await tempDir('dynenv-abandoned-');
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const add = async (reason: string) => {
      const parent = await mkdtemp(path.join(tmp, WORKTREE_PARENT_PREFIX));
      const worktree = path.join(parent, 'worktree');
      await git(fixture.work, 'worktree', 'add', '--quiet', '--detach', '--lock', '--reason', reason, worktree, 'HEAD');
      return worktree;
    };
    const abandoned = await add(`dynenv run ${deadPid} on ${hostname()}`);
    const live = await add(worktreeLockReason());
    const elsewhere = await add(`dynenv run ${deadPid} on another-machine`);
    const someoneElses = await add('on a USB stick');

    expect(await removeAbandonedWorktrees(new Git(fixture.work))).toEqual([abandoned]);
    const listed = await git(fixture.work, 'worktree', 'list', '--porcelain');
    expect(listed).not.toContain(abandoned);
    for (const kept of [live, elsewhere, someoneElses]) expect(listed).toContain(kept);
    await expect(stat(path.dirname(abandoned))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(live)).isDirectory()).toBe(true);
  });
});
