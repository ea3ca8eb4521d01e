/**
 * Renders a Kustomize folder the way Argo CD does, with the real Kustomize: `kubectl kustomize` (kubectl
 * embeds it), or a standalone `kustomize build` when kubectl is not installed.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
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

/** The commands tried in order; the first one found on the PATH renders. */
const RENDERERS: ReadonlyArray<{ command: string; args: string[] }> = [
  { command: 'kubectl', args: ['kustomize'] },
  { command: 'kustomize', args: ['build'] },
];

/** Renders `directory` and returns its objects; throws a UserError naming the folder when Kustomize fails. */
export async function kustomizeBuild(directory: string): Promise<KubernetesObject[]> {
  return parseAllDocuments(await renderText(directory))
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

/** What Kustomize prints for `directory`: from the render cache when DYNENV_RENDER_CACHE turns it on and it holds it. */
async function renderText(directory: string): Promise<string> {
  const renderer = await findRenderer();
  const cache = renderCacheFromEnvironment();
  const key = cache && (await cache.keyFor(directory, renderer.executable));
  const cached = key === undefined ? undefined : await cache!.read(key);
  if (cached !== undefined) return cached;
  let stdout: string;
  try {
    ({ stdout } = await run(renderer.executable, [...renderer.args, directory], { maxBuffer: 256 * 1024 * 1024 }));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    throw new KustomizeBuildError(directory, (failure.stderr ?? failure.message).trim());
  }
  if (key !== undefined) await cache!.write(key, stdout);
  return stdout;
}

/** The first of RENDERERS on the PATH, as an executable's path. */
async function findRenderer(): Promise<{ executable: string; args: string[] }> {
  for (const { command, args } of RENDERERS) {
    for (const folder of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const executable = path.join(folder, command);
      try {
        await access(executable, constants.X_OK);
        return { executable, args };
      } catch {
        // not in this folder
      }
    }
  }
  throw new UserError('neither kubectl nor kustomize is installed: install kubectl (it embeds Kustomize) to render the overlays');
}
