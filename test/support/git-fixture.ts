/**
 * Real git repositories for the delivery tests: a bare repository as `origin` and a clone of it holding the
 * bundled example (dynenv.yaml and its synthesized gitops/) on `main`, plus helpers to act as a teammate who
 * pushes or merges, and to snapshot everything a failed command must leave as it was.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exampleTree } from './example.ts';
import { afterEveryFile } from './after-each.ts';
import { REPO_ROOT, tempDir } from './workspace.ts';

// The machine's git configuration (identity, default branch, hooks, signing) must not change a test. Nor does git
// start its background upkeep after commits and fetches (`git maintenance run --auto`, `git gc --auto`): a
// process each time, a tenth of the suite's git processes, on repositories that live for one test.
Object.assign(process.env, {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_COUNT: '2',
  GIT_CONFIG_KEY_0: 'maintenance.auto',
  GIT_CONFIG_VALUE_0: 'false',
  GIT_CONFIG_KEY_1: 'gc.auto',
  GIT_CONFIG_VALUE_1: '0',
  GIT_AUTHOR_NAME: 'Dana Developer',
  GIT_AUTHOR_EMAIL: 'dana@example.com',
  GIT_COMMITTER_NAME: 'Dana Developer',
  GIT_COMMITTER_EMAIL: 'dana@example.com',
});

const execFileAsync = promisify(execFile);

/** Runs git in `cwd` and returns its trimmed output. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

export interface GitFixture {
  /** The bare repository that is `origin`. */
  readonly origin: string;
  /** The user's clone, on `main`, clean. */
  readonly work: string;
}

let template: Promise<string> | undefined;
let templateParent: string | undefined;
let shared: Promise<GitFixture> | undefined;
afterEveryFile(async () => {
  const parent = templateParent;
  [template, templateParent, shared] = [undefined, undefined, undefined];
  if (parent) await rm(parent, { recursive: true, force: true, maxRetries: 5 });
});

/** A bare repository holding one commit: the example's dynenv.yaml and gitops/ (made once per test file). */
async function templateRepository(): Promise<string> {
  template ??= (async () => {
    templateParent = await mkdtemp(path.join(tmpdir(), 'dynenv-template-'));
    const work = path.join(templateParent, 'work');
    await mkdir(work);
    await git(work, 'init', '--quiet', '--initial-branch=main');
    await writeFile(path.join(work, 'dynenv.yaml'), await readFile(path.join(REPO_ROOT, 'dynenv.yaml')));
    for (const [file, text] of await exampleTree()) {
      await mkdir(path.dirname(path.join(work, 'gitops', file)), { recursive: true });
      await writeFile(path.join(work, 'gitops', file), text);
    }
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', 'Add checkout: dynenv.yaml and gitops/');
    const bare = path.join(templateParent, 'template.git');
    await git(templateParent, 'clone', '--quiet', '--bare', work, bare);
    return bare;
  })();
  return template;
}

/** origin (bare) and a clean clone of it on main, in folders removed after the test. */
export async function createGitFixture(): Promise<GitFixture> {
  const dir = await tempDir('dynenv-git-');
  const origin = path.join(dir, 'origin.git');
  const work = path.join(dir, 'work');
  await git(dir, 'clone', '--quiet', '--bare', await templateRepository(), origin);
  await git(dir, 'clone', '--quiet', origin, work);
  return { origin, work };
}

/**
 * One fixture for all the tests of a file that must change nothing (each asserts that it did not, so a test
 * that broke the rule fails itself rather than the next one), removed after the file.
 */
export async function unchangingGitFixture(): Promise<GitFixture> {
  shared ??= (async () => {
    const bare = await templateRepository();
    const dir = await mkdtemp(path.join(templateParent!, 'shared-'));
    const origin = path.join(dir, 'origin.git');
    const work = path.join(dir, 'work');
    await git(dir, 'clone', '--quiet', '--bare', bare, origin);
    await git(dir, 'clone', '--quiet', origin, work);
    return { origin, work };
  })();
  return shared;
}

/** Another clone of origin, for a teammate's pushes. */
export async function teammateClone(fixture: GitFixture): Promise<string> {
  const dir = path.join(path.dirname(fixture.origin), `teammate-${Math.random().toString(36).slice(2, 8)}`);
  await git(path.dirname(fixture.origin), 'clone', '--quiet', fixture.origin, dir);
  return dir;
}

/**
 * What a failed command must leave exactly as it was: the checkout's HEAD, branches, stash, worktrees and files,
 * and origin's refs. Three git processes (it is taken before and after most delivery tests): HEAD and the local
 * refs in one, the files in another, origin's refs in the third; the registered worktrees are the folders of
 * `.git/worktrees`.
 */
export async function snapshot(fixture: GitFixture) {
  const [refs, status, originRefs, worktrees] = await Promise.all([
    git(fixture.work, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/stash'),
    git(fixture.work, 'status', '--porcelain=v1', '--untracked-files=all', '--ignored'),
    git(fixture.origin, 'for-each-ref', '--format=%(refname) %(objectname)'),
    readdir(path.join(fixture.work, '.git/worktrees')).catch(() => []),
  ]);
  return {
    head: (await readFile(path.join(fixture.work, '.git/HEAD'), 'utf8')).trim(),
    refs,
    status,
    worktrees: worktrees.sort(),
    originRefs,
  };
}

/** The text of `file` on `ref` of origin. */
export async function originFile(fixture: GitFixture, ref: string, file: string): Promise<string> {
  return git(fixture.origin, 'show', `${ref}:${file}`);
}

/** Merges origin's `branch` into main (fast-forward, as a pull request merge would land it) and deletes it. */
export async function mergeOnOrigin(fixture: GitFixture, branch: string): Promise<void> {
  await git(fixture.origin, 'update-ref', 'refs/heads/main', `refs/heads/${branch}`);
  await git(fixture.origin, 'update-ref', '-d', `refs/heads/${branch}`);
}

/** Commits `edit`'s changes on origin's main from a teammate's clone; returns the new commit. */
export async function commitOnMain(fixture: GitFixture, message: string, edit: (clone: string) => Promise<void>): Promise<string> {
  const clone = await teammateClone(fixture);
  await edit(clone);
  await git(clone, 'add', '--all');
  await git(clone, 'commit', '--quiet', '-m', message);
  await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
  return git(clone, 'rev-parse', 'HEAD');
}

/** Brings the user's clone up to date with origin's main. */
export async function pullMain(fixture: GitFixture): Promise<void> {
  await git(fixture.work, 'pull', '--quiet', '--ff-only', 'origin', 'main');
}
