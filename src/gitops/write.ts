/**
 * Puts a synthesized tree on disk. Only files whose bytes differ are written, so a no-op run leaves every
 * modification time alone. Writing is two-phase: every new or changed file is first staged beside its target
 * (a failure there removes what was staged and leaves the tree as it was), then each is renamed over its
 * target, which is atomic: a reader, or a crash, sees either the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Tree } from './tree.ts';
import { isUserOwned } from './user-owned.ts';

/** Prefix of staged files; one left behind by a killed run is removed by the next. */
export const STAGING_PREFIX = '.dynenv-tmp-';

/** How a tree on disk differs from a synthesized one (paths relative to the tree's folder, sorted). */
export interface TreeChanges {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

export function hasChanges(changes: TreeChanges): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length > 0;
}

/** Every file under `root` (relative paths with "/", text), without staged leftovers; empty when it does not exist. */
export async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const relative of await listFiles(root)) {
    if (!path.posix.basename(relative).startsWith(STAGING_PREFIX)) {
      files.set(relative, await readFile(path.join(root, relative), 'utf8'));
    }
  }
  return files;
}

export function diffTree(current: ReadonlyMap<string, string>, next: Tree): TreeChanges {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [file, text] of next) {
    const old = current.get(file);
    if (old === undefined) added.push(file);
    else if (old !== text) changed.push(file);
  }
  // The user's own folders (overlays/<env>/extra/) are theirs: never removed.
  const removed = [...current.keys()].filter((file) => !next.has(file) && !isUserOwned(file));
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/** Makes the tree under `root` equal to `next`, touching only the files in `changes`. */
export async function applyTree(root: string, next: Tree, changes: TreeChanges): Promise<void> {
  const staged = await stageFiles(root, next, [...changes.added, ...changes.changed]);
  for (const { temporary, target } of staged) await rename(temporary, target);
  await syncDirectories(new Set(staged.map(({ target }) => path.dirname(target))));
  for (const file of changes.removed) await unlink(path.join(root, file));
  await removeStagingLeftovers(root);
  // Every empty folder, not only those of the files removed now: a run killed after its last unlink, or after
  // staging into a folder it had just created, leaves one that git would not even show.
  await removeEmptyDirectories(root, new Set(await listDirectories(root)));
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

async function stageFiles(root: string, tree: Tree, files: string[]): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  const createdDirectories: string[] = [];
  try {
    for (const file of files) {
      const target = path.join(root, file);
      const created = await mkdir(path.dirname(target), { recursive: true });
      if (created) createdDirectories.push(created);
      const temporary = stagingPathFor(target);
      staged.push({ temporary, target });
      await writeDurably(temporary, tree.get(file)!);
    }
    return staged;
  } catch (error) {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true })));
    for (const directory of createdDirectories.reverse()) await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

function stagingPathFor(target: string): string {
  return path.join(path.dirname(target), `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}-${path.basename(target)}`);
}

// fsync before the rename: otherwise a power cut can leave the renamed file empty.
async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx');
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

async function removeStagingLeftovers(root: string): Promise<void> {
  for (const relative of await listFiles(root)) {
    if (path.posix.basename(relative).startsWith(STAGING_PREFIX)) await rm(path.join(root, relative), { force: true });
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

/** Every folder under `root` (absolute paths); empty when it does not exist. */
async function listDirectories(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { withFileTypes: true, recursive: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(root, relative)));
    else files.push(relative);
  }
  return files;
}
