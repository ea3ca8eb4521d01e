/**
 * The repository files dynenv.yaml names (`files` volumes), read next to it before anything is synthesized. A file
 * must stay inside the folder of dynenv.yaml, symbolic links included (its text is committed into gitops/), and be
 * UTF-8 text small enough for a ConfigMap.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './schema.ts';

/** A ConfigMap holds at most 1 MiB; one file may not take all of it. */
export const MAX_FILE_BYTES = 512 * 1024;

/** Every repository path the configuration names, with where it names it. */
export function referencedFiles(config: Config): Array<{ readonly path: string; readonly field: ReadonlyArray<string | number> }> {
  return config.services.flatMap((service, index) =>
    service.volumes.flatMap((volume, volumeIndex) =>
      Object.entries(volume.files ?? {}).map(([key, file]) => ({ path: file, field: ['services', index, 'volumes', volumeIndex, 'files', key] })),
    ),
  );
}

/** A file that cannot be used, and the field that names it. */
export interface FileProblem {
  readonly field: ReadonlyArray<string | number>;
  readonly message: string;
}

/** Reads the files into a map by path; the problems, each with the field that names the file, when any cannot be used. */
export async function readRepositoryFiles(
  config: Config,
  directory: string,
  configName: string,
): Promise<{ files: Map<string, string>; problems: FileProblem[] }> {
  const files = new Map<string, string>();
  const problems: FileProblem[] = [];
  const referenced = referencedFiles(config);
  // Nothing to read, nothing to resolve: the folder itself may be gone (a working folder deleted mid-run).
  if (referenced.length === 0) return { files, problems };
  let root: string;
  try {
    root = await realpath(directory);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it no longer exists' : (error as Error).message;
    return { files, problems: referenced.map(({ field }) => ({ field, message: `cannot read the folder of ${configName}: ${reason}` })) };
  }
  for (const { path: relative, field } of referenced) {
    if (files.has(relative)) continue;
    const problem = (message: string) => problems.push({ field, message });
    const absolute = path.resolve(directory, relative);
    try {
      const real = await realpath(absolute);
      if (real !== root && !real.startsWith(root + path.sep)) {
        problem(`${relative} leads outside the folder of ${configName} (through a symbolic link): its text would be committed into gitops/`);
        continue;
      }
      const info = await stat(real);
      if (!info.isFile()) {
        problem(`${relative} is not a file`);
        continue;
      }
      if (info.size > MAX_FILE_BYTES) {
        problem(`${relative} has ${info.size} bytes, more than a ConfigMap should hold (${MAX_FILE_BYTES})`);
        continue;
      }
      const bytes = await readFile(real);
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      files.set(relative, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : error instanceof TypeError ? 'not UTF-8 text' : (error as Error).message;
      problem(`cannot read ${relative}: ${reason}`);
    }
  }
  return { files, problems };
}
