/**
 * What an Argo CD Application says about the commit it deploys, reduced to a GitHub deployment state:
 * `success` once Synced and Healthy at that commit, `failure` (with the reason) when its sync or a hook failed or a
 * resource is Degraded at that commit, `in_progress` in between. Read from `status.sync`, `status.health`,
 * `status.operationState` and `status.resources`, as Argo CD writes them.
 */

export type ObservedState = 'in_progress' | 'success' | 'failure';

export interface ApplicationObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly deletionTimestamp?: string;
    readonly resourceVersion?: string;
    readonly ownerReferences?: ReadonlyArray<{ readonly kind: string; readonly name: string }>;
  };
  readonly spec?: { readonly source?: { readonly repoURL?: string; readonly targetRevision?: string } };
  readonly status?: {
    readonly sync?: { readonly status?: string; readonly revision?: string };
    readonly health?: { readonly status?: string; readonly message?: string };
    readonly operationState?: {
      readonly phase?: string;
      readonly message?: string;
      readonly operation?: { readonly sync?: { readonly revision?: string } };
      readonly syncResult?: {
        readonly revision?: string;
        readonly resources?: ReadonlyArray<{ kind?: string; name?: string; status?: string; hookPhase?: string; message?: string }>;
      };
    };
    readonly resources?: ReadonlyArray<{ kind?: string; name?: string; health?: { status?: string; message?: string } }>;
    readonly summary?: { readonly images?: readonly string[] };
  };
}

export interface Observation {
  /** The commit the Application deploys (its target when that is a commit, else the one it last compared). */
  readonly revision: string;
  /** The commit it runs now (synced), if any. */
  readonly deployedRevision: string | undefined;
  readonly state: ObservedState;
  /** Why it failed: the failed hook or resource, or the sync's message. */
  readonly reason: string | undefined;
  readonly health: string;
  readonly sync: string;
  /** Images running, as Argo CD summarises them. */
  readonly images: readonly string[];
}

const COMMIT = /^[0-9a-f]{40}$/;

/** The observation of `application`, or undefined when it names no commit yet. */
export function observeApplication(application: ApplicationObject): Observation | undefined {
  const status = application.status ?? {};
  const target = application.spec?.source?.targetRevision;
  const revision = target !== undefined && COMMIT.test(target) ? target : status.sync?.revision;
  if (revision === undefined || revision === '') return undefined;
  const sync = status.sync?.status ?? 'Unknown';
  const health = status.health?.status ?? 'Unknown';
  const synced = sync === 'Synced' && status.sync?.revision === revision;
  const operation = status.operationState;
  const operationRevision = operation?.syncResult?.revision ?? operation?.operation?.sync?.revision;
  const base = { revision, deployedRevision: synced ? revision : undefined, health, sync, images: [...(status.summary?.images ?? [])] };

  if ((operation?.phase === 'Failed' || operation?.phase === 'Error') && operationRevision === revision) {
    const failed = operation.syncResult?.resources?.find((r) => r.hookPhase === 'Failed' || r.hookPhase === 'Error' || r.status === 'SyncFailed');
    const reason = failed ? `${failed.kind}/${failed.name}: ${failed.message ?? 'failed'}` : (operation.message ?? 'sync failed');
    return { ...base, state: 'failure', reason };
  }
  if (health === 'Degraded' && status.sync?.revision === revision) {
    const degraded = status.resources?.find((r) => r.health?.status === 'Degraded');
    const reason = degraded
      ? `${degraded.kind}/${degraded.name} is Degraded: ${degraded.health?.message ?? 'no message'}`
      : (status.health?.message ?? 'Degraded');
    return { ...base, state: 'failure', reason };
  }
  if (synced && health === 'Healthy' && operation?.phase !== 'Running') return { ...base, state: 'success', reason: undefined };
  return { ...base, state: 'in_progress', reason: undefined };
}
