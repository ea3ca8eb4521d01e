/**
 * The user's checkout, as delivery sees it: where its root is, what HEAD is, whether it is clean, and where
 * `origin` points. Delivery reads the checkout and never writes to it: branches are built in a temporary
 * worktree (see temporary-worktree.ts).
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../contract/errors.ts';
import { Git } from './git.ts';

/** The remote dynenv pushes to and reads environments from. */
export const REMOTE = 'origin';

export interface Checkout {
  readonly git: Git;
  /** Absolute path of the working tree's root. */
  readonly root: string;
  /** The commit HEAD points at. */
  readonly head: string;
}

/** The checkout that holds `cwd`; a UserError when there is none or it has no commit yet. */
export async function openCheckout(cwd: string): Promise<Checkout> {
  const probe = new Git(cwd);
  const inside = await probe.attempt(['rev-parse', '--show-toplevel']);
  if (inside.code !== 0) throw new UserError(`${cwd} is not inside a git repository: run dynenv in a clone of the repository`);
  const root = inside.stdout.toString('utf8').trim();
  const git = new Git(root);
  const head = await git.resolveCommit('HEAD');
  if (head === undefined) throw new UserError(`the repository at ${root} has no commit yet: commit dynenv.yaml and gitops/ first`);
  return { git, root, head };
}

/**
 * `file` (as given on the command line, relative to `cwd`) as a path from the checkout's root with "/", which
 * is how git names it; a UserError when it lies outside the checkout.
 */
export async function pathInCheckout(checkout: Checkout, cwd: string, file: string, what: string): Promise<string> {
  const root = await realpath(checkout.root);
  const absolute = path.resolve(await realpath(cwd), file);
  const relative = path.relative(root, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new UserError(`${what} ${file} is outside the repository at ${checkout.root}`);
  }
  return relative.split(path.sep).join('/') || '.';
}

/**
 * Refuses uncommitted changes under `watched` (paths from the root: dynenv.yaml and the GitOps tree), staged or
 * not, untracked files included: dynenv builds its branch from commits, so they would silently be left out of
 * it. Changes elsewhere in the repository (a README being edited, build output) cannot change what dynenv
 * synthesizes or promotes, and do not stop it.
 */
export async function requireCleanWorkingTree(checkout: Checkout, watched: readonly string[], command: string): Promise<void> {
  const output = await checkout.git.run(['--literal-pathspecs', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...watched]);
  const fields = output.split('\0');
  const dirty: string[] = [];
  for (let index = 0; index < fields.length; index++) {
    const entry = fields[index]!;
    if (entry.length < 4) continue;
    const status = entry.slice(0, 2);
    // A rename or copy is followed by a field holding the old name.
    if (status[0] === 'R' || status[0] === 'C') index++;
    dirty.push(`${status.trim()} ${entry.slice(3)}`);
  }
  if (dirty.length === 0) return;
  const listed = dirty.length > 5 ? [...dirty.slice(0, 5), `and ${dirty.length - 5} more`] : dirty;
  throw new UserError(
    `uncommitted changes to ${watched.join(', ')} (${listed.join(', ')}): ${command} builds its branch from commits ` +
      'and would leave them out. Commit or stash them, then run it again.',
  );
}

/** The URL of `origin`; a UserError when the checkout has no such remote. */
export async function originUrl(checkout: Checkout): Promise<string> {
  const result = await checkout.git.attempt(['remote', 'get-url', REMOTE]);
  if (result.code !== 0) {
    throw new UserError(`the repository at ${checkout.root} has no remote "${REMOTE}": add it (git remote add ${REMOTE} <url>) and run again`);
  }
  return result.stdout.toString('utf8').trim();
}

/** The branch `origin`'s HEAD points at (its default branch), asked of the remote itself. */
export async function remoteDefaultBranch(checkout: Checkout): Promise<string> {
  const result = await checkout.git.attempt(['ls-remote', '--symref', REMOTE, 'HEAD']);
  if (result.code !== 0) throw await remoteFailure(checkout, `git ls-remote ${REMOTE}`, result.stderr);
  const branch = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(result.stdout.toString('utf8'))?.[1];
  if (!branch) throw new UserError(`cannot tell the default branch of ${REMOTE}: set repository.branch in dynenv.yaml, or pass --base`);
  return branch;
}

/**
 * Fetches `branch` of origin into its remote-tracking ref and returns its commit, or undefined when origin has
 * no such branch.
 */
export async function fetchRemoteBranch(checkout: Checkout, branch: string): Promise<string | undefined> {
  const tracking = remoteTrackingRef(branch);
  const result = await checkout.git.attempt(['fetch', '--quiet', '--no-tags', REMOTE, `+refs/heads/${branch}:${tracking}`]);
  if (result.code !== 0) {
    if (/couldn't find remote ref/i.test(result.stderr)) return undefined;
    throw await remoteFailure(checkout, `git fetch ${REMOTE} ${branch}`, result.stderr);
  }
  return checkout.git.resolveCommit(tracking);
}

/**
 * One line for a git command that could not talk to origin: that there is no origin, else git's first complaint
 * and where origin points (without any credentials in its URL).
 */
async function remoteFailure(checkout: Checkout, command: string, stderr: string): Promise<UserError> {
  const url = await originUrl(checkout);
  const reason =
    stderr
      .split('\n')
      .map((line) => line.replace(/^(fatal|error): /, '').trim())
      .find(Boolean) ?? 'no reason given';
  return new UserError(
    `${command} failed: ${reason}. Check that ${REMOTE} (${withoutCredentials(url)}) is reachable and that your git credentials may read it.`,
  );
}

/** A remote URL with any user name and password taken out: `https://github.com/o/r.git`. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url; // scp-like (git@host:owner/repo) or a path: no password in it
  }
}

/** `refs/remotes/origin/<branch>` */
export function remoteTrackingRef(branch: string): string {
  return `refs/remotes/${REMOTE}/${branch}`;
}

/** Whether the clone is shallow (CI checkouts often are): its history stops early. */
export async function isShallowClone(checkout: Checkout): Promise<boolean> {
  return (await checkout.git.run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}
