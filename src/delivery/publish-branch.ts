/**
 * Delivers one change through a pull request: builds the commit on a branch of dynenv's own, pushes it to
 * origin, and opens or updates the pull request. The order is chosen so that a failure at any step leaves the
 * checkout, its local branches and origin as they were:
 *
 * 1. read the remote branch (its commit is the lease for the push) and look the open pull request up, so a
 *    broken token or API fails before anything is pushed;
 * 2. build the commit in a temporary worktree (the checkout is never touched, no local branch is created);
 * 3. when the remote branch already holds exactly this content, push nothing;
 * 4. refuse to replace a remote branch that holds commits dynenv did not make (nobody's work is lost);
 * 5. push with `--force-with-lease` pinned to the commit read in step 1: if anyone pushed since, the push is
 *    rejected instead of overwriting them;
 * 6. open or update the pull request; if that fails, put the remote branch back where it was.
 */
import { UserError } from '../../contract/errors.ts';
import { fetchRemoteBranch, remoteTrackingRef, REMOTE, type Checkout } from './checkout.ts';
import type { GitHubClient, PullRequestContent, PullRequestSummary } from './github-client.ts';
import type { GitHubRepository } from './github-repository.ts';
import { openOrUpdatePullRequest, type PullRequestOutcome } from './pull-request.ts';
import { NO_HOOKS, withTemporaryWorktree } from './temporary-worktree.ts';

/** The commit trailer that marks dynenv's commits, e.g. `Generated-By: dynenv promote`. */
export const GENERATED_BY_TRAILER = 'Generated-By';

export interface BranchChange {
  /** The branch dynenv owns, e.g. `promote/prod/api-0123456789ab`. */
  readonly branch: string;
  /** The commit the branch is built on. */
  readonly parent: string;
  /** Paths (from the repository root) the change reads or writes: only they are written out in the worktree. */
  readonly paths: readonly string[];
  /** Paths (from the repository root) whose changes are committed; nothing else is. */
  readonly commitPaths: readonly string[];
  /** Makes the change in the worktree rooted at `root`. */
  edit(root: string): Promise<void>;
  /** The commit message (subject, blank line, body); the Generated-By trailer is added to it. */
  readonly commitMessage: string;
  /** Which dynenv command made it, for the trailer: `propose` or `promote`. */
  readonly command: string;
  /** The pull request: title, body and the branch it merges into. */
  readonly pullRequest: PullRequestContent;
}

export interface GitHubTarget {
  readonly client: GitHubClient;
  readonly repository: GitHubRepository;
}

export interface PublishResult {
  /** The commit the branch points at. */
  readonly commit: string;
  /** False when origin's branch held exactly this content already. */
  readonly pushed: boolean;
  readonly pull: PullRequestSummary;
  readonly pullRequest: PullRequestOutcome;
}

export async function publishBranch(checkout: Checkout, github: GitHubTarget, change: BranchChange): Promise<PublishResult> {
  const lease = await fetchRemoteBranch(checkout, change.branch);
  const existing = await github.client.findOpenPullRequest(github.repository, change.branch);

  const { commit, pushed } = await withTemporaryWorktree(checkout, change.parent, change.paths, async (worktree) => {
    await change.edit(worktree.root);
    const tree = await worktree.stage(change.commitPaths);
    if (lease !== undefined && (await checkout.git.treeOf(lease)) === tree) return { commit: lease, pushed: false };
    if (tree === (await checkout.git.treeOf(change.parent))) {
      throw new Error(`the change for ${change.branch} changed nothing in ${change.commitPaths.join(', ')}`);
    }
    if (lease !== undefined) await refuseForeignCommits(checkout, change, lease);
    const created = await worktree.commit(`${change.commitMessage.trimEnd()}\n\n${GENERATED_BY_TRAILER}: dynenv ${change.command}\n`);
    await pushWithLease(checkout, change.branch, created, lease);
    return { commit: created, pushed: true };
  });

  try {
    const result = await openOrUpdatePullRequest(github.client, github.repository, change.branch, change.pullRequest, existing);
    return { commit, pushed, pull: result.pull, pullRequest: result.outcome };
  } catch (error) {
    if (!pushed) throw error;
    throw await restoreRemoteBranch(checkout, change.branch, commit, lease, error);
  }
}

/**
 * Refuses to move a remote branch that holds work dynenv did not make: a commit on it that is neither dynenv's
 * (Generated-By trailer), nor in the new parent's history, nor on the base branch. Merge commits are not
 * counted: GitHub's "Update branch" button merges the base into the branch, and that merge holds nobody's work.
 */
async function refuseForeignCommits(checkout: Checkout, change: BranchChange, lease: string): Promise<void> {
  const base = remoteTrackingRef(change.pullRequest.base);
  const exclude = [change.parent, ...((await checkout.git.resolveCommit(base)) ? [base] : [])];
  const log = await checkout.git.run([
    'log',
    '--no-merges',
    `--format=%h%x1f%an%x1f%s%x1f%(trailers:key=${GENERATED_BY_TRAILER},valueonly,separator=%x2C)%x1e`,
    lease,
    '--not',
    ...exclude,
  ]);
  const foreign = log
    .split('\x1e')
    .map((record) => record.trim().split('\x1f'))
    .filter((fields) => fields.length === 4 && !fields[3]!.trim().startsWith('dynenv'))
    .map(([hash, author, subject]) => `${hash} "${subject}" by ${author}`);
  if (foreign.length === 0) return;
  throw new UserError(
    `${REMOTE}/${change.branch} holds commits dynenv did not make (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}): ` +
      'dynenv will not overwrite them. Merge or close its pull request and delete the branch, then run again. Nothing was changed.',
  );
}

async function pushWithLease(checkout: Checkout, branch: string, commit: string, lease: string | undefined): Promise<void> {
  const result = await checkout.git.attempt([
    ...NO_HOOKS,
    'push',
    '--porcelain',
    '--no-verify',
    // Only ever on dynenv's own branch, and only over the commit dynenv read: never over someone else's push.
    `--force-with-lease=refs/heads/${branch}:${lease ?? ''}`,
    REMOTE,
    `${commit}:refs/heads/${branch}`,
  ]);
  if (result.code === 0) return;
  const said = `${result.stdout.toString('utf8')}\n${result.stderr}`;
  if (/\[rejected\]|stale info|fetch first|non-fast-forward/.test(said)) {
    throw new UserError(
      `git push to ${REMOTE} was rejected: someone else pushed to ${branch} while dynenv was working (${lease ? `it is no longer at ${lease.slice(0, 12)}` : 'it did not exist when dynenv read it'}). ` +
        'Nothing was pushed and no pull request was changed: run the command again to build on their push.',
    );
  }
  throw new UserError(`git push to ${REMOTE} ${branch} failed: ${result.stderr.trim().split('\n').slice(-3).join(' ')}. Nothing was changed.`);
}

/** Puts the remote branch back (or deletes it, when dynenv created it) after the pull request failed. */
async function restoreRemoteBranch(checkout: Checkout, branch: string, pushed: string, previous: string | undefined, cause: unknown): Promise<unknown> {
  const result = await checkout.git.attempt([
    ...NO_HOOKS,
    'push',
    '--porcelain',
    '--no-verify',
    `--force-with-lease=refs/heads/${branch}:${pushed}`,
    REMOTE,
    `${previous ?? ''}:refs/heads/${branch}`,
  ]);
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (result.code === 0) {
    const restored = previous ? `moved back to ${previous.slice(0, 12)}` : 'deleted again';
    return new UserError(`${reason}\nThe pull request could not be opened or updated, so ${REMOTE}/${branch} was ${restored}: nothing was changed.`);
  }
  const undo = previous ? `git push --force-with-lease ${REMOTE} ${previous}:refs/heads/${branch}` : `git push ${REMOTE} --delete ${branch}`;
  return new UserError(
    `${reason}\nThe pull request could not be opened or updated, and ${REMOTE}/${branch} could not be put back ` +
      `(${result.stderr.trim().split('\n').at(-1)}): run \`${undo}\`, or run this command again to open the pull request.`,
  );
}
