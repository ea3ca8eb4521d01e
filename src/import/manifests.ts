/**
 * The Kubernetes manifests `dynenv init --from` reads: files and folders (searched recursively for .yaml, .yml
 * and .json), each a stream of YAML documents. Every object keeps where it came from (file and line), so that
 * whatever the import says about it, or refuses in it, names it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../contract/errors.ts';
import type { Json } from './json.ts';

/** One object of the input, as plain data, with its origin. */
export interface Manifest {
  /** The file, as the user named it (or relative to the folder they named). */
  readonly file: string;
  /** Line of the document's first line in the file (1-based). */
  readonly line: number;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly body: Json;
}

/** `file:line kind/name`: how every message refers to an object of the input. */
export function describeManifest(manifest: Manifest): string {
  return `${manifest.file}:${manifest.line} ${manifest.kind}/${manifest.name}`;
}

/** A problem in the input, naming the file, line and object. */
export class ManifestError extends UserError {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'ManifestError';
  }
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** The manifest files under `inputs` (files as given, folders searched in name order), each once. */
export async function manifestFiles(inputs: readonly string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (shown: string, absolute: string, named: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ManifestError(shown, code === 'ENOENT' ? 'no such file or folder' : `cannot read it: ${(error as Error).message}`);
    }
    if (info.isDirectory()) {
      const entries = (await readdir(absolute)).filter((entry) => !entry.startsWith('.')).sort();
      for (const entry of entries) await visit(path.join(shown, entry), path.join(absolute, entry), false);
    } else if (named || MANIFEST_FILE.test(absolute)) {
      if (!found.includes(shown)) found.push(shown);
    }
  };
  for (const input of inputs) await visit(input, path.resolve(cwd, input), true);
  return found;
}

/** Reads every object of the files and folders `inputs` (relative to `cwd`); throws a ManifestError naming the file and line of bad input. */
export async function readManifests(inputs: readonly string[], cwd: string): Promise<Manifest[]> {
  const files = await manifestFiles(inputs, cwd);
  if (files.length === 0) throw new ManifestError(inputs.join(', '), 'no manifest files (.yaml, .yml or .json) found');
  const manifests: Manifest[] = [];
  for (const file of files) manifests.push(...parseManifests(await readFile(path.resolve(cwd, file), 'utf8'), file));
  return manifests;
}

/** The objects of one file's text; `List` objects are opened into their items. */
export function parseManifests(text: string, file: string): Manifest[] {
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const manifests: Manifest[] = [];
  for (const document of parseAllDocuments(text, { uniqueKeys: true })) {
    if (!('errors' in document)) continue;
    const line = lineOf(document.range?.[0] ?? 0);
    if (document.errors.length > 0) {
      const error = document.errors[0]!;
      const at = error.linePos?.[0];
      throw new ManifestError(at ? `${file}:${at.line}` : `${file}:${line}`, `invalid YAML: ${error.message.split('\n')[0]}`);
    }
    const data: unknown = document.toJS({ maxAliasCount: 100 });
    if (data === null || data === undefined) continue;
    const contentLine = lineOf(document.contents?.range?.[0] ?? document.range?.[0] ?? 0);
    for (const object of data !== null && typeof data === 'object' && (data as Json).kind === 'List' ? ((data as Json).items ?? []) : [data]) {
      manifests.push(toManifest(object, file, contentLine));
    }
  }
  return manifests;
}

function toManifest(object: unknown, file: string, line: number): Manifest {
  const where = `${file}:${line}`;
  if (object === null || typeof object !== 'object' || Array.isArray(object))
    throw new ManifestError(where, 'expected a Kubernetes object (a map with kind and metadata)');
  const body = object as Json;
  if (typeof body.kind !== 'string' || body.kind === '') throw new ManifestError(where, 'expected a Kubernetes object: "kind" is missing');
  if (typeof body.apiVersion !== 'string') throw new ManifestError(where, `${body.kind} without "apiVersion"`);
  const name = body.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new ManifestError(where, `${body.kind} without "metadata.name" (generateName cannot be imported)`);
  return { file, line, kind: body.kind, apiVersion: body.apiVersion, name, body };
}
