/**
 * `dynenv history` as a function: the images an environment ran, per service, newest first, read from the git
 * history of its overlay on the deployed branch. An earlier digest from it is what a rollback promotes.
 */
import { resolveImage } from '../config/image-reference.ts';
import { UsageError, UserError } from '../../contract/errors.ts';
import { isShallowClone, REMOTE, remoteTrackingRef } from './checkout.ts';
import { baseBranch, fetchBase, openWorkspace, type DeliveryWorkspace } from './delivery-workspace.ts';
import { readPinHistory, type PinChange } from './pin-history.ts';
import { overlayKustomization, parseEnvironment, PROMOTION_SOURCES, unknownServiceError } from './promotion-route.ts';

export interface HistoryOptions {
  /** Folder the command runs in. */
  readonly cwd: string;
  /** @default "dynenv.yaml" */
  readonly configFile?: string;
  /** @default "gitops" */
  readonly outDir?: string;
  /** The environment. Required. */
  readonly env: string;
  /** Only this service. @default every service */
  readonly service?: string;
  /** The revision to read instead of the deployed branch on origin (e.g. HEAD). @default origin/<base>, fetched */
  readonly ref?: string;
  /** The branch the environments deploy from. @default repository.branch, else origin's default branch */
  readonly base?: string;
}

/** A pin change of the environment, and the service whose image it pins. */
export interface HistoryEntry extends PinChange {
  readonly service: string;
}

export interface History {
  /** What was read, e.g. `origin/main`. */
  readonly revision: string;
  /** The overlay's kustomization.yaml, from the repository root. */
  readonly file: string;
  readonly entries: readonly HistoryEntry[];
  /** Said when origin could not be fetched and the last fetched state was read instead. */
  readonly warning?: string;
}

export async function history(options: HistoryOptions): Promise<History> {
  const environment = parseEnvironment('--env', options.env, PROMOTION_SOURCES);
  if (environment === 'preview') {
    throw new UsageError('--env preview: preview pins no images (each pull request runs its own image), so it has no history of pins');
  }
  const workspace = await openWorkspace({
    cwd: options.cwd,
    configFile: options.configFile ?? 'dynenv.yaml',
    outDir: options.outDir ?? 'gitops',
    command: 'dynenv history',
    requireClean: false,
  });
  const services = workspace.config.services.filter((service) => options.service === undefined || service.name === options.service);
  if (services.length === 0) {
    throw unknownServiceError(options.service, options.configFile ?? 'dynenv.yaml', workspace.config.services);
  }
  const { revision, commit, warning } = await revisionToRead(workspace, options);
  const file = overlayKustomization(workspace.outPath, environment);
  const serviceOfImage = new Map(services.map((service) => [resolveImage(service.image, service.builtHere).repository, service.name]));
  const entries = (await readPinHistory(workspace.checkout.git, commit, file)).flatMap((change) => {
    const service = serviceOfImage.get(change.image);
    return service === undefined ? [] : [{ service, ...change }];
  });
  const shallow = (await isShallowClone(workspace.checkout)) && 'this clone is shallow: older pins are missing (git fetch --unshallow)';
  const warnings = [warning, shallow].filter(Boolean);
  return { revision, file, entries, ...(warnings.length > 0 && { warning: warnings.join('; ') }) };
}

async function revisionToRead(workspace: DeliveryWorkspace, options: HistoryOptions): Promise<{ revision: string; commit: string; warning?: string }> {
  const git = workspace.checkout.git;
  if (options.ref !== undefined) {
    const commit = await git.resolveCommit(options.ref);
    if (commit === undefined) throw new UserError(`--ref: ${JSON.stringify(options.ref)} names no commit in ${workspace.checkout.root}`);
    return { revision: options.ref, commit };
  }
  const base = await baseBranch(workspace, options.base);
  const revision = `${REMOTE}/${base}`;
  try {
    return { revision, commit: await fetchBase(workspace, base) };
  } catch (error) {
    // Offline: the last fetched state of the branch is still worth showing, said as such.
    const commit = await git.resolveCommit(remoteTrackingRef(base));
    if (commit === undefined || !(error instanceof UserError)) throw error;
    return { revision, commit, warning: `could not fetch ${revision} (${error.message.split('\n')[0]}): showing it as last fetched` };
  }
}
