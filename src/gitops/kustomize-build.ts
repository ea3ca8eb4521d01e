/**
 * Renders a Kustomize folder the way Argo CD does, with the real Kustomize: `kubectl kustomize` (kubectl
 * embeds it), or a standalone `kustomize build` when kubectl is not installed.
 */
import { execFile } from 'node:child_process';
import { access, constants, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../contract/errors.ts';
import { renderCacheFromEnvironment } from './render-cache.ts';

const run = promisify(execFile);

/** A rendered Kubernetes object, as plain data. */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
};

/** Kustomize ran and rejected the folder (a missing file, a bad patch): the folder is at fault, not the machine. */
export class KustomizeBuildError extends UserError {
  constructor(
    readonly directory: string,
    /** What Kustomize printed on stderr. */
    readonly output: string,
  ) {
    super(`${directory}: kustomize failed: ${output}`);
    this.name = 'KustomizeBuildError';
  }
}

/** The commands tried in order; the first one found on the PATH renders. `version` asks it its version. */
const RENDERERS: ReadonlyArray<{ command: string; args: string[]; version: string[] }> = [
  { command: 'kubectl', args: ['kustomize'], version: ['version', '--client'] },
  { command: 'kustomize', args: ['build'], version: ['version'] },
];

interface Renderer {
  readonly executable: string;
  readonly args: readonly string[];
  readonly version: readonly string[];
}

/**
 * Renders `directory` and returns its objects; throws a UserError naming the folder when Kustomize fails. With
 * DYNENV_RENDER_CACHE set, a render whose inputs have not changed comes from the cache, kept as JSON: reading a
 * large render back as YAML cost more than a tenth of what rendering it did.
 */
export async function kustomizeBuild(directory: string): Promise<KubernetesObject[]> {
  const renderer = await findRenderer();
  const cache = renderCacheFromEnvironment();
  const key = cache && (await cache.keyFor(directory, await rendererIdentity(renderer)));
  const cached = key === undefined ? undefined : await cache!.read(key);
  if (cached !== undefined) return JSON.parse(cached) as KubernetesObject[];
  let stdout: string;
  try {
    ({ stdout } = await run(renderer.executable, [...renderer.args, directory], { maxBuffer: 256 * 1024 * 1024 }));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    throw new KustomizeBuildError(directory, (failure.stderr ?? failure.message).trim());
  }
  const objects = parseAllDocuments(stdout)
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
  // JSON says a render exactly: Kustomize passes every object through JSON itself, and refuses a `.inf` or `.nan`
  // ("json: unsupported value"). The render is right whatever happens to its copy: a cache that cannot be written
  // is only a cache.
  if (key !== undefined) await cache!.write(key, JSON.stringify(objects)).catch(() => undefined);
  return objects;
}

const versions = new Map<string, Promise<string>>();

/**
 * What a cached render is keyed by, besides its inputs: the executable (its real path, size and modification time)
 * and the version it reports, which also changes behind a version manager's shim. The version is asked once per
 * executable and process.
 */
async function rendererIdentity({ executable, version }: Renderer): Promise<string> {
  const real = await realpath(executable);
  const { size, mtimeMs } = await stat(real);
  const file = `${real} ${size} ${mtimeMs}`;
  let reported = versions.get(file);
  if (!reported) {
    reported = run(executable, [...version]).then(
      ({ stdout }) => stdout.trim(),
      () => 'unknown version',
    );
    versions.set(file, reported);
  }
  return `${file}\n${await reported}`;
}

/** The first of RENDERERS on the PATH, as an executable's path. */
async function findRenderer(): Promise<Renderer> {
  for (const { command, args, version } of RENDERERS) {
    for (const folder of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const executable = path.join(folder, command);
      try {
        await access(executable, constants.X_OK);
        return { executable, args, version };
      } catch {
        // not in this folder
      }
    }
  }
  throw new UserError('neither kubectl nor kustomize is installed: install kubectl (it embeds Kustomize) to render the overlays');
}
