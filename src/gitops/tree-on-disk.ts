/**
 * What is under the output folder, as synthesis sees it before writing: the files dynenv wrote (they begin with
 * its generated-file header), the files it did not write, and symbolic links. Only dynenv's own files are read
 * in full and only they may be replaced or deleted; a link is never followed (it could point anywhere, for
 * instance at the repository that holds the tree), and a FIFO or device is never opened.
 */
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { GENERATED_FIRST_LINE, isGeneratedText } from './yaml-style.ts';

/** Prefix of staged files; one left behind by a killed run is removed by the next. */
export const STAGING_PREFIX = '.dynenv-tmp-';

/** The tree under the output folder. Paths are relative to it, with "/", sorted. */
export interface TreeOnDisk {
  /** Files that carry dynenv's header: path → text. */
  readonly generated: ReadonlyMap<string, string>;
  /** Files (and FIFOs, sockets, devices) dynenv did not write: left alone, never read past their first line. */
  readonly foreign: readonly string[];
  /** Symbolic links, to files or folders: never followed, replaced or deleted. */
  readonly links: readonly string[];
  /** Folders, the output folder excluded. */
  readonly directories: readonly string[];
  /** Files a killed run staged (their name begins with STAGING_PREFIX). */
  readonly staged: readonly string[];
  /** `.git` entries: a repository (or a worktree's link to one) inside the tree. Never entered. */
  readonly repositories: readonly string[];
}

type EntryKind = 'file' | 'directory' | 'link' | 'special' | 'repository';

interface Entry {
  readonly relative: string;
  readonly kind: EntryKind;
}

/** Reads the tree under `root` without following any link; an empty tree when `root` does not exist. */
export async function scanTree(root: string): Promise<TreeOnDisk> {
  const generated = new Map<string, string>();
  const foreign: string[] = [];
  const links: string[] = [];
  const directories: string[] = [];
  const staged: string[] = [];
  const repositories: string[] = [];
  for await (const { relative, kind } of walkTree(root)) {
    if (kind === 'directory') directories.push(relative);
    else if (kind === 'link') links.push(relative);
    else if (kind === 'repository') repositories.push(relative);
    else if (kind === 'special') foreign.push(relative);
    else if (path.posix.basename(relative).startsWith(STAGING_PREFIX)) staged.push(relative);
    else {
      const text = await readIfGenerated(path.join(root, relative));
      if (text === undefined) foreign.push(relative);
      else generated.set(relative, text);
    }
  }
  const sorted = (list: string[]) => list.sort(byCodePoint);
  return {
    generated: new Map([...generated].sort(([a], [b]) => byCodePoint(a, b))),
    foreign: sorted(foreign),
    links: sorted(links),
    directories: sorted(directories),
    staged: sorted(staged),
    repositories: sorted(repositories),
  };
}

/**
 * Every regular file under `root` with its text, whoever wrote it, without staged leftovers and without
 * following links: the whole tree as a reader (or a test) sees it.
 */
export async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const { relative, kind } of walkTree(root)) {
    if (kind === 'file' && !path.posix.basename(relative).startsWith(STAGING_PREFIX)) {
      files.set(relative, await readWithoutFollowing(path.join(root, relative)));
    }
  }
  return files;
}

/** Each entry under `root`, parents before children; folders named `.git` are reported, not entered. */
async function* walkTree(root: string, prefix = ''): AsyncGenerator<Entry> {
  let entries;
  try {
    entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries.sort((a, b) => byCodePoint(a.name, b.name))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    // Dirent types come from the directory entry itself (lstat semantics): a link is a link, whatever it points at.
    if (entry.name === '.git') yield { relative, kind: 'repository' };
    else if (entry.isSymbolicLink()) yield { relative, kind: 'link' };
    else if (entry.isDirectory()) {
      yield { relative, kind: 'directory' };
      yield* walkTree(root, relative);
    } else if (entry.isFile()) yield { relative, kind: 'file' };
    else yield { relative, kind: 'special' };
  }
}

const HEADER_BYTES = Buffer.byteLength(GENERATED_FIRST_LINE);

/** The text of `file` when it begins with dynenv's header; undefined (having read only that much) otherwise. */
async function readIfGenerated(file: string): Promise<string | undefined> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEADER_BYTES, 0);
    if (!isGeneratedText(head.subarray(0, bytesRead).toString('utf8'))) return undefined;
    // The read above named its position, so the handle's own position is still 0: this reads the whole file.
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function readWithoutFollowing(file: string): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
