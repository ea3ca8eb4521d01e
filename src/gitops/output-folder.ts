/**
 * Which folder synthesis may write: a folder of its own. A pull request can commit `gitops` as a symbolic link
 * (to `../..`, say), and a user can mistype `--out .`; either would otherwise let synthesis replace or delete
 * files it never wrote. So the output folder must not be, or lie under, a symbolic link (between the repository
 * and the folder), must not be the repository root or hold it, and must not hold the configuration file or a
 * `.git`. Each refusal names the path and why, before anything is written.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../contract/errors.ts';
import { absolutePath, workingFolder } from '../working-folder.ts';
import type { TreeOnDisk } from './tree-on-disk.ts';

export interface OutputFolder {
  /** The folder as the user named it, for messages: `gitops`, `--out` as given. */
  readonly name: string;
  /** The folder, absolute. */
  readonly absolute: string;
}

/** Refuses an output folder that is not dynenv's to write (see the file comment); resolves when it is. */
export async function requireOwnOutputFolder(outDir: string, configFile: string): Promise<OutputFolder> {
  // Absolute once, at the start: every later step names the same files even if the working folder goes away.
  const [absolute, config] = [absolutePath(outDir), absolutePath(configFile)];
  const refuse = (why: string) =>
    new UserError(`${outDir}: ${why}. dynenv writes only a folder of its own (such as "gitops") and changed nothing.`);
  const repository = (await repositoryRoot(path.dirname(config))) ?? path.dirname(config);
  if (absolute === repository) throw refuse(`is the repository root (${repository})`);
  if (isInside(repository, absolute)) throw refuse(`holds the repository root ${repository}`);
  if (isInside(config, absolute)) throw refuse(`holds the configuration file ${configFile}`);

  const link = await firstLinkOnPath(commonAncestor(absolute, repository), absolute);
  if (link !== undefined) {
    const target = await readlink(link).catch(() => '?');
    throw refuse(`passes through the symbolic link ${path.relative(workingFolder(), link) || link} (→ ${target}), which could point anywhere`);
  }
  const stats = await lstat(absolute).catch(() => undefined);
  if (stats !== undefined && !stats.isDirectory()) throw refuse('is a file, not a folder');
  // dynenv makes its own folder, not the folders above it.
  if (stats === undefined && !(await lstat(path.dirname(absolute)).then((parent) => parent.isDirectory(), () => false))) {
    throw new UserError(`${outDir}: the folder that would hold it, ${path.dirname(absolute)}, does not exist: create it first. Nothing was changed.`);
  }
  // Through a link above the repository, the two may still be one file; compare where they really are.
  if (stats !== undefined) {
    const realConfig = await realpath(config).catch(() => undefined);
    if (realConfig !== undefined && isInside(realConfig, await realpath(absolute))) {
      throw refuse(`holds the configuration file ${configFile}`);
    }
  }
  return { name: outDir, absolute };
}

/** Refuses a tree that holds a Git repository: such a folder is not dynenv's, whatever else is in it. */
export function requireNoRepositoryInside(folder: OutputFolder, tree: TreeOnDisk): void {
  const repository = tree.repositories[0];
  if (repository !== undefined) {
    throw new UserError(
      `${folder.name}: holds ${path.posix.join(folder.name, repository)}, a Git repository. dynenv writes only a folder of its own (such as "gitops") and changed nothing.`,
    );
  }
}

/**
 * Refuses `relative` (a path inside `root`, with "/") when it, or a folder on the way to it, is a symbolic link:
 * for the temporary worktrees of propose and promote, whose files come from a commit anyone may have pushed.
 */
export async function requireNoLinkOnPath(root: string, relative: string, what: string): Promise<void> {
  const link = await firstLinkOnPath(root, path.join(root, relative));
  if (link !== undefined) {
    throw new UserError(
      `${what}: ${path.relative(root, link).split(path.sep).join('/')} is a symbolic link in the commit (→ ${await readlink(link).catch(() => '?')}); ` +
        'dynenv does not write through links, which could point anywhere. Replace it with a real folder. Nothing was changed.',
    );
  }
}

/** The first of `to` and its ancestors below `from` (in order from `from` down) that is a symbolic link. */
async function firstLinkOnPath(from: string, to: string): Promise<string | undefined> {
  const steps = path.relative(from, to).split(path.sep).filter((step) => step !== '' && step !== '.');
  let current = from;
  for (const step of steps) {
    current = path.join(current, step);
    const stats = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (stats === undefined) return undefined; // the rest does not exist yet: it will be made as real folders
    if (stats.isSymbolicLink()) return current;
  }
  return undefined;
}

/** The folder holding `start` whose `.git` exists (the repository root), if any. */
async function repositoryRoot(start: string): Promise<string | undefined> {
  for (let folder = start; ; folder = path.dirname(folder)) {
    if ((await lstat(path.join(folder, '.git')).catch(() => undefined)) !== undefined) return folder;
    if (path.dirname(folder) === folder) return undefined;
  }
}

/** Whether `inner` lies strictly inside `outer` (both absolute). */
function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function commonAncestor(a: string, b: string): string {
  let ancestor = a;
  while (ancestor !== b && !isInside(b, ancestor)) ancestor = path.dirname(ancestor);
  return ancestor;
}
