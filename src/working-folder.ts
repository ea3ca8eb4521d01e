/**
 * The folder a command runs in. If that folder is deleted while the command runs, a relative path resolves
 * against nothing (Node's recursive mkdir of one never returns), and `process.cwd()` still answers its old
 * name (Node caches it), under which a write would make the folder anew. So every command takes its paths from
 * here, absolute, and a deleted working folder is an error.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../contract/errors.ts';

/** `process.cwd()`, or a UserError when the folder no longer exists. */
export function workingFolder(): string {
  let folder: string | undefined;
  try {
    folder = process.cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (folder === undefined || !existsSync(folder)) {
    throw new UserError('the working folder no longer exists (it was deleted after this command started): run dynenv from an existing folder');
  }
  return folder;
}

/** `file` made absolute against the working folder. */
export function absolutePath(file: string): string {
  return path.resolve(workingFolder(), file);
}
