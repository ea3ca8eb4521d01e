/**
 * A cache of Kustomize's output for `dynenv validate`, kept in the folder `DYNENV_RENDER_CACHE` names (off when it
 * is unset). A render is reused only when everything it could read is byte for byte the same: the key is a hash of
 * the renderer (its executable and the version it reports) and of every file of every folder the kustomization can
 * reach. Made for a loop that validates a tree again and again as it changes in a few places (a pre-commit hook, an
 * editor, dynenv's own tests): each overlay whose inputs did not change costs a file read instead of a render.
 *
 * What a kustomization can reach is found without interpreting its fields: every string in it that names an
 * existing file or folder (relative to the kustomization) is an input, and a folder's files are all inputs,
 * recursively, with the kustomizations found there followed in turn. That over-approximates what Kustomize reads,
 * never under-approximates it. A remote resource (a URL, `github.com/...`) can change without a local file
 * changing, and an existing absolute path leads out of the tree: such renders are never cached.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/** The variable that turns the cache on: the folder it keeps renders in. */
export const RENDER_CACHE_VARIABLE = 'DYNENV_RENDER_CACHE';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Past this many inputs a render is not cached: hashing them would cost what rendering does. */
const MAX_INPUTS = 5000;

/** A render cache: the key of a folder's render (undefined: not cacheable), and reading and storing its objects (JSON) by key. */
export interface RenderCache {
  /** `renderer` identifies the renderer: its executable and version (kustomize-build.ts). */
  keyFor(directory: string, renderer: string): Promise<string | undefined>;
  read(key: string): Promise<string | undefined>;
  write(key: string, output: string): Promise<void>;
}

/** The cache `DYNENV_RENDER_CACHE` asks for, or undefined when it is unset or empty. */
export function renderCacheFromEnvironment(environment: NodeJS.ProcessEnv = process.env): RenderCache | undefined {
  const folder = environment[RENDER_CACHE_VARIABLE];
  return folder ? folderRenderCache(path.resolve(folder)) : undefined;
}

/** A cache of renders in `folder`, one file per key. */
export function folderRenderCache(folder: string): RenderCache {
  return {
    keyFor: renderKey,
    async read(key) {
      return readFile(path.join(folder, `${key}.json`), 'utf8').catch(() => undefined);
    },
    async write(key, output) {
      await mkdir(folder, { recursive: true });
      // Written under another name, then renamed: a reader in another process never sees half a render.
      const temporary = path.join(folder, `.${key}.${randomUUID()}.tmp`);
      await writeFile(temporary, output);
      await rename(temporary, path.join(folder, `${key}.json`));
    },
  };
}

/**
 * The key of rendering `directory` with `renderer` (what identifies the renderer: its executable and version): a
 * hash of it and of every input's path (relative to `directory`, so that the same tree in two places shares renders)
 * and content; undefined when the kustomization reaches a remote resource, when a kustomization does not parse
 * (what it references is unknown), when the tree holds a link to a folder or anything but files and folders, or
 * when a file cannot be read (then Kustomize renders, and says what is wrong).
 */
export async function renderKey(directory: string, renderer: string): Promise<string | undefined> {
  try {
    // Kustomize resolves `..` from where a folder really is, links followed: so does the key.
    return await hashInputs(await realpath(directory), renderer);
  } catch {
    return undefined;
  }
}

async function hashInputs(root: string, renderer: string): Promise<string | undefined> {
  const inputs = await reachableInputs(root);
  if (inputs === undefined) return undefined;
  const hash = createHash('sha256');
  hash.update(`${renderer}\0`);
  for (const file of [...inputs].sort()) {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Every file the kustomization in `root` can reach (absolute paths), or undefined when it reaches a remote one. */
async function reachableInputs(root: string): Promise<Set<string> | undefined> {
  const files = new Set<string>();
  const tooMany = () => files.size > MAX_INPUTS;
  const folders = new Set<string>();
  const pending = [root];
  while (pending.length > 0) {
    const folder = await realpath(pending.pop()!);
    if (folders.has(folder)) continue;
    folders.add(folder);
    for (const file of await filesBelow(folder)) {
      files.add(file);
      if (tooMany()) return undefined;
      if (!KUSTOMIZATION_FILES.includes(path.basename(file))) continue;
      const references = await referencesOf(file);
      if (references === undefined) return undefined;
      for (const reference of references) {
        const kind = await entryKind(reference);
        if (kind === 'folder') pending.push(reference);
        else if (kind === 'file') files.add(reference);
      }
    }
  }
  return files;
}

/**
 * Every file below `folder`, recursively; a link to a file is read through, as Kustomize reads it. A link to a
 * folder would have to be walked too, and a pipe or a device could block the read: either throws, and the render
 * is not cached.
 */
async function filesBelow(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (!(entry.isFile() || (entry.isSymbolicLink() && (await stat(file)).isFile()))) throw new Error(`${file}: not a file`);
    files.push(file);
  }
  return files;
}

/**
 * The local paths a kustomization's strings could name, resolved against its folder (where it really is); undefined
 * when one of them is remote, or when the file does not parse.
 */
async function referencesOf(kustomization: string): Promise<string[] | undefined> {
  const folder = await realpath(path.dirname(kustomization));
  let document: unknown;
  try {
    document = parse(await readFile(kustomization, 'utf8'));
  } catch {
    // Kustomize reads some YAML that `yaml` refuses (a trailing `---`, a repeated key): what it references is unknown.
    return undefined;
  }
  const references: string[] = [];
  for (const value of stringsIn(document)) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(value) || value.startsWith('git@')) {
      return undefined;
    }
    if (value.length === 0 || value.includes('\n')) continue;
    // An absolute path (an inline patch's `/spec/replicas` is one too) is an input only if it exists; then the
    // render depends on a place outside the tree, which is not worth following: no cache.
    if (path.isAbsolute(value)) {
      if ((await entryKind(value)) !== undefined) return undefined;
      continue;
    }
    references.push(path.resolve(folder, value));
  }
  return references;
}

function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) yield* stringsIn(item);
}

async function entryKind(file: string): Promise<'file' | 'folder' | undefined> {
  try {
    return (await stat(file)).isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}
