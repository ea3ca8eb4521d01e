/**
 * Renders a Kustomize folder the way Argo CD does, with the real Kustomize: `kubectl kustomize` (kubectl
 * embeds it), or a standalone `kustomize build` when kubectl is not installed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../contract/errors.ts';

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

/** The commands tried in order; the first one found renders. */
const RENDERERS: ReadonlyArray<{ command: string; args: string[] }> = [
  { command: 'kubectl', args: ['kustomize'] },
  { command: 'kustomize', args: ['build'] },
];

/** Renders `directory` and returns its objects; throws a UserError naming the folder when Kustomize fails. */
export async function kustomizeBuild(directory: string): Promise<KubernetesObject[]> {
  for (const { command, args } of RENDERERS) {
    let stdout: string;
    try {
      ({ stdout } = await run(command, [...args, directory], { maxBuffer: 256 * 1024 * 1024 }));
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: string };
      if (failure.code === 'ENOENT') continue;
      throw new KustomizeBuildError(directory, (failure.stderr ?? failure.message).trim());
    }
    return parseAllDocuments(stdout)
      .map((document) => document.toJS() as KubernetesObject | null)
      .filter((object): object is KubernetesObject => object !== null);
  }
  throw new UserError('neither kubectl nor kustomize is installed: install kubectl (it embeds Kustomize) to render the overlays');
}
