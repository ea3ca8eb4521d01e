/**
 * A throw-away git worktree in which dynenv builds the commit of a delivery branch. The user's checkout is
 * never switched, written or staged: an interrupted or failed delivery cannot leave it on another branch or
 * with half a change, and their editor never sees files flicker.
 *
 * The worktree is detached (no local branch is created or moved) and sparse by construction: only the paths
 * the change needs are written to disk, the rest of the commit's tree stays in the index, so a large
 * repository, or one whose files pass through filters such as Git LFS, costs the same as a small one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeAbandonedWorktrees, WORKTREE_PARENT_PREFIX, worktreeLockReason } from './abandoned-worktrees.ts';
import type { Checkout } from './checkout.ts';
import { Git } from './git.ts';

/**
 * Options for the git commands that check out, commit or push for dynenv: the repository's hooks (post-checkout,
 * pre-commit, pre-push...) are written for people's edits, and this work is generated and checked already.
 */
export const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'] as const;

export interface TemporaryWorktree {
  /** Absolute path of the worktree's root. */
  readonly root: string;
  readonly git: Git;
  /** Stages every change under `paths` (from the root), deletions included, and returns the resulting tree. */
  stage(paths: readonly string[]): Promise<string>;
  /** Commits what is staged on top of the starting commit and returns the new commit. */
  commit(message: string): Promise<string>;
}

/**
 * Runs `work` in a worktree detached at `commit`, with `paths` (from the root; files or folders, existing or
 * not) written out, and removes the worktree afterwards, whatever happens.
 */
export async function withTemporaryWorktree<T>(
  checkout: Checkout,
  commit: string,
  paths: readonly string[],
  work: (worktree: TemporaryWorktree) => Promise<T>,
): Promise<T> {
  await removeAbandonedWorktrees(checkout.git);
  const parent = await mkdtemp(path.join(tmpdir(), WORKTREE_PARENT_PREFIX));
  const root = path.join(parent, 'worktree');
  try {
    // Locked, naming this process: a run killed before its cleanup leaves a worktree the next run can remove.
    await checkout.git.run([...NO_HOOKS, 'worktree', 'add', '--quiet', '--detach', '--no-checkout', '--lock', '--reason', worktreeLockReason(), root, commit]);
    try {
      const git = new Git(root);
      await git.run(['read-tree', commit]);
      const existing = await existingPaths(git, commit, paths);
      if (existing.length > 0) await git.run([...NO_HOOKS, 'checkout', commit, '--', ...existing]);
      return await work({
        root,
        git,
        stage: async (staged) => {
          await git.run(['add', '--all', '--', ...staged]);
          return (await git.run(['write-tree'])).trim();
        },
        commit: async (message) => {
          await git.run([...NO_HOOKS, 'commit', '--quiet', '--no-verify', '--file', '-'], { input: message });
          return (await git.run(['rev-parse', 'HEAD'])).trim();
        },
      });
    } finally {
      await checkout.git.attempt(['worktree', 'remove', '--force', '--force', root]);
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
    // Forgets the worktree even when `worktree remove` could not run (its folder is gone now).
    await checkout.git.attempt(['worktree', 'prune']);
  }
}

/** Those of `paths` that exist in `commit` (checking out a path that does not exist is an error). */
async function existingPaths(git: Git, commit: string, paths: readonly string[]): Promise<string[]> {
  const exists = await Promise.all(
    paths.map(async (candidate) => (await git.attempt(['cat-file', '-e', `${commit}:${candidate.replace(/\/$/, '')}`])).code === 0),
  );
  return paths.filter((_, index) => exists[index]);
}
