/**
 * Puts a synthesized tree on disk. Only files whose bytes differ are written, so a no-op run leaves every
 * modification time alone. Writing is two-phase: every new or changed file is first staged beside its target
 * (a failure there removes what was staged and leaves the tree as it was), then each is renamed over its
 * target, which is atomic: a reader, or a crash, sees either the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { scanTree, STAGING_PREFIX, type TreeOnDisk } from './tree-on-disk.ts';
import type { Tree } from './tree.ts';
import { isUserOwned } from './user-owned.ts';

export { readTree, STAGING_PREFIX } from './tree-on-disk.ts';

/** How a tree on disk differs from a synthesized one (paths relative to the tree's folder, sorted). */
export interface TreeChanges {
  readonly added: string[];
  readonly changed: string[];
  /** dynenv's files (they carry its header) that the new tree no longer has. */
  readonly removed: string[];
  /** Files and links dynenv did not write and does not need: left exactly as they are. */
  readonly foreign: string[];
}

export function hasChanges(changes: TreeChanges): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length > 0;
}

/**
 * How `current` must change to become `next`. Only dynenv's own files are ever removed; the files and links it
 * did not write are listed in `foreign` and kept (see `ownershipConflicts` for those `next` would overwrite).
 */
export function diffTree(current: TreeOnDisk, next: Tree): TreeChanges {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [file, text] of next) {
    const old = current.generated.get(file);
    if (old === undefined) added.push(file);
    else if (old !== text) changed.push(file);
  }
  // The user's own folders (overlays/<env>/extra/) are theirs: never removed, and not worth a note either.
  const removed = [...current.generated.keys()].filter((file) => !next.has(file) && !isUserOwned(file));
  const foreign = [...current.foreign, ...current.links].filter((file) => !next.has(file) && !isUserOwned(file));
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), foreign: foreign.sort() };
}

/**
 * The files of `next` that would replace something dynenv did not write, or be written through a symbolic
 * link: one line each, naming the path (relative to the tree) and why. Empty when the tree is dynenv's to write.
 */
export function ownershipConflicts(current: TreeOnDisk, next: Tree): string[] {
  const foreign = new Set(current.foreign);
  const links = new Set(current.links);
  const conflicts: string[] = [];
  for (const file of next.keys()) {
    const linkOnTheWay = ancestorsAndSelf(file).find((part) => links.has(part));
    if (linkOnTheWay !== undefined) {
      conflicts.push(`${linkOnTheWay}: a symbolic link where dynenv writes ${file}; dynenv never writes through or replaces a link`);
    } else if (foreign.has(file)) {
      conflicts.push(`${file}: not written by dynenv (it does not begin with the generated-file header); dynenv does not overwrite it`);
    }
  }
  return [...new Set(conflicts)];
}

/** `a/b/c.yaml` → `a`, `a/b`, `a/b/c.yaml` */
function ancestorsAndSelf(file: string): string[] {
  const parts = file.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

/**
 * Makes the tree under `root` equal to `next`, touching only the files in `changes`. Call it with changes
 * from `diffTree` of a tree `ownershipConflicts` found nothing in: it writes and deletes only dynenv's files.
 */
export async function applyTree(folder: string, next: Tree, changes: TreeChanges): Promise<void> {
  // Absolute from here on: every later step names the same folder, even if the working folder goes away.
  const root = path.resolve(folder);
  const staged = await stageFiles(root, next, [...changes.added, ...changes.changed]);
  for (const { temporary, target } of staged) await rename(temporary, target);
  await syncDirectories(new Set(staged.map(({ target }) => path.dirname(target))));
  for (const file of changes.removed) await unlink(path.join(root, file));
  const after = await scanTree(root);
  for (const leftover of after.staged) await rm(path.join(root, leftover), { force: true });
  // Every empty folder, not only those of the files removed now: a run killed after its last unlink, or after
  // staging into a folder it had just created, leaves one that git would not even show.
  await removeEmptyDirectories(root, new Set(after.directories.map((directory) => path.join(root, directory))));
}

/**
 * Replaces one file atomically: its new text is written durably beside it, then renamed over it. A failure
 * leaves the old file (or no file) and no staged leftover.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = stagingPathFor(file);
  try {
    await writeDurably(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectories(new Set([path.dirname(file)]));
}

interface StagedFile {
  readonly temporary: string;
  readonly target: string;
}

/**
 * Files written and synced at once while staging: each write waits on the disk (fsync) far more than on the CPU, so
 * a few hundred of them one after another took most of a cold synth. libuv runs four at a time by default.
 */
const STAGING_CONCURRENCY = 16;

async function stageFiles(root: string, tree: Tree, files: string[]): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  const createdDirectories: string[] = [];
  try {
    // Each folder is made alone, the output folder included (never its parents: they are not dynenv's), so a tree
    // whose folder is deleted mid-run fails at once (ENOENT) instead of being made anew.
    await makeFoldersBelow(path.dirname(root), path.basename(root), createdDirectories);
    for (const file of files) await makeFoldersBelow(root, path.dirname(file), createdDirectories);
    let next = 0;
    let failed = false;
    const writer = async () => {
      while (next < files.length && !failed) {
        const file = files[next++]!;
        const target = path.join(root, file);
        const temporary = stagingPathFor(target);
        staged.push({ temporary, target });
        try {
          await writeDurably(temporary, tree.get(file)!);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    // Every writer runs to its end (settled, not raced): on a failure, nothing is still writing while the
    // staged files are removed below.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(STAGING_CONCURRENCY, files.length) }, writer));
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    return staged;
  } catch (error) {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true })));
    for (const directory of createdDirectories.reverse()) await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Makes each missing folder of `relative` (with "/") below `root`, one at a time; records those it made. */
async function makeFoldersBelow(root: string, relative: string, created: string[]): Promise<void> {
  if (relative === '.' || relative === '') return;
  let folder = root;
  for (const part of relative.split('/')) {
    folder = path.join(folder, part);
    try {
      await mkdir(folder);
      created.push(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function stagingPathFor(target: string): string {
  return path.join(path.dirname(target), `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}-${path.basename(target)}`);
}

// fsync before the rename: otherwise a power cut can leave the renamed file empty.
async function writeDurably(file: string, text: string): Promise<void> {
  // Exclusive and without following a link: a name that exists already (a link planted there included) fails.
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// A rename is durable only once its directory entry is.
async function syncDirectories(directories: Set<string>): Promise<void> {
  for (const directory of directories) {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** Removes the given folders (and their parents up to `root`) while they are empty. */
async function removeEmptyDirectories(root: string, directories: Set<string>): Promise<void> {
  for (let directory of [...directories].sort().reverse()) {
    while (directory.startsWith(root + path.sep)) {
      if ((await readdir(directory).catch(() => ['?'])).length > 0) break;
      await rmdir(directory);
      directory = path.dirname(directory);
    }
  }
}
