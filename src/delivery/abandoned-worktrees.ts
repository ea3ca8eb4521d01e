/**
 * The temporary worktrees of dynenv runs that died before removing them (killed, out of memory, the machine
 * stopped). Each worktree is created locked, with the creating process in the lock's reason, so that
 *
 * - `git worktree prune` leaves a live run's worktree alone, and
 * - the next run can tell an abandoned worktree (its process is gone) from a concurrent run's (still alive), and
 *   remove only the former: its folder in the temporary directory and its entry under .git/worktrees.
 */
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Git } from './git.ts';

/** Prefix of the folders temporary worktrees are created in (`<tmpdir>/dynenv-worktree-XXXXXX/worktree`). */
export const WORKTREE_PARENT_PREFIX = 'dynenv-worktree-';

const OWNER = /^dynenv run (\d+) on (.+)$/;

/** The lock reason of a worktree this process creates. */
export function worktreeLockReason(): string {
  return `dynenv run ${process.pid} on ${hostname()}`;
}

/** Removes the worktrees of `git`'s repository that a dynenv run on this machine left behind when it died. */
export async function removeAbandonedWorktrees(git: Git): Promise<string[]> {
  const removed: string[] = [];
  for (const { worktree, reason } of lockedWorktrees(await git.run(['worktree', 'list', '--porcelain']))) {
    const owner = OWNER.exec(reason);
    if (!owner || owner[2] !== hostname() || isAlive(Number(owner[1]))) continue;
    // Locked worktrees need --force twice; the folder may be gone already, in which case this only unregisters it.
    await git.attempt(['worktree', 'unlock', worktree]);
    await git.attempt(['worktree', 'remove', '--force', '--force', worktree]);
    const parent = path.dirname(worktree);
    if (path.basename(worktree) === 'worktree' && path.basename(parent).startsWith(WORKTREE_PARENT_PREFIX)) {
      await rm(parent, { recursive: true, force: true });
    }
    removed.push(worktree);
  }
  if (removed.length > 0) await git.attempt(['worktree', 'prune']);
  return removed;
}

/** The locked worktrees in `git worktree list --porcelain` output, with their lock reasons. */
function lockedWorktrees(porcelain: string): Array<{ worktree: string; reason: string }> {
  const locked: Array<{ worktree: string; reason: string }> = [];
  for (const block of porcelain.split(/\n\n+/)) {
    const lines = block.split('\n');
    const worktree = lines.find((line) => line.startsWith('worktree '))?.slice('worktree '.length);
    const lock = lines.find((line) => line === 'locked' || line.startsWith('locked '));
    if (worktree && lock) locked.push({ worktree, reason: lock.slice('locked'.length).trim() });
  }
  return locked;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user holds the number, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
