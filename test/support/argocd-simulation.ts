/**
 * Argo CD as the status reporter sees it, played on the fake Kubernetes API: preview Applications created by the
 * ApplicationSet (named, labelled and owned as the synthesized ApplicationSet makes them), moving through the
 * states a sync goes through, pushed to a new commit, and deleted when the pull request closes. Each state knows
 * the GitHub deployment state it must be reported as: the oracle of the simulated-world tests.
 */
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { planSync } from '../../src/validate/sync-simulation/sync-plan.ts';
import { orderedSyncTasks } from '../../src/validate/sync-simulation/sync-tasks.ts';
import type { FakeKubernetes, StoredObject } from '../fake-kubernetes/index.ts';

export type PreviewPhase = 'created' | 'syncing' | 'healthy' | 'degraded' | 'hook-failed';

/** What GitHub's last status must say in each phase. */
export const EXPECTED_STATE: Record<PreviewPhase, 'in_progress' | 'success' | 'failure'> = {
  created: 'in_progress',
  syncing: 'in_progress',
  healthy: 'success',
  degraded: 'failure',
  'hook-failed': 'failure',
};

export interface SimulatedPreview {
  readonly number: number;
  sha: string;
  phase: PreviewPhase;
  /** How its last sync ended, when it was played over its objects (`playSync`). */
  played?: PlayedSync;
  /** Made by the ApplicationSet controller (`adopt`): Argo CD writes only its status, the spec is the set's. */
  adopted?: boolean;
}

/** One entry of an operation's `syncResult.resources`, as gitops-engine reports a task. */
export interface SyncResultResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly status: 'Synced';
  readonly message: string;
  readonly syncPhase: string;
  readonly hookType?: string;
  readonly hookPhase?: 'Succeeded' | 'Failed';
}

/** How a sync of an Application's objects ended, and what Argo CD writes into `status.operationState` for it. */
export interface PlayedSync {
  readonly phase: 'Succeeded' | 'Failed';
  readonly message: string;
  /** Every task run, in order; steps after a failed one never run. */
  readonly resources: readonly SyncResultResource[];
  /** Whether every resource (not hook) of the Sync phase was applied: the Application is then Synced. */
  readonly resourcesApplied: boolean;
}

/**
 * Plays a sync of `objects` in gitops-engine's order (src/validate/sync-simulation): step after step, each
 * applied, its hooks run; the hooks named in `failing` ("Kind/name" → the message their Job ends with) fail, and
 * a step in which a hook failed ends the sync as Failed before the next step starts (sync_context.go: "one or
 * more synchronization tasks completed unsuccessfully"); then its SyncFail hooks run. Every resource is taken to
 * become healthy. `namespace` is the Application's destination.
 */
export function playSync(objects: readonly KubernetesObject[], namespace: string, failing: ReadonlyMap<string, string> = new Map()): PlayedSync {
  const plan = planSync(orderedSyncTasks(objects, namespace));
  const resources: SyncResultResource[] = [];
  const result = (task: (typeof plan.steps)[number]['tasks'][number], failed: string | undefined): SyncResultResource => {
    const [group, version] = String(task.object.apiVersion).includes('/') ? String(task.object.apiVersion).split('/') : ['', String(task.object.apiVersion)];
    return {
      group: group!,
      version: version!,
      kind: task.object.kind,
      namespace: task.namespace ?? namespace,
      name: task.object.metadata.name,
      status: 'Synced',
      message: failed ?? (task.hook ? '' : `${task.object.kind.toLowerCase()}/${task.object.metadata.name} created`),
      syncPhase: task.phase,
      ...(task.hook && { hookType: task.phase, hookPhase: failed === undefined ? ('Succeeded' as const) : ('Failed' as const) }),
    };
  };
  for (const step of plan.steps) {
    let stepFailed = false;
    for (const task of step.tasks) {
      const failed = task.hook ? failing.get(`${task.object.kind}/${task.object.metadata.name}`) : undefined;
      stepFailed ||= failed !== undefined;
      resources.push(result(task, failed));
    }
    if (stepFailed) {
      for (const task of plan.onFailure) resources.push(result(task, undefined));
      const applied = new Set(resources.map((entry) => `${entry.kind}/${entry.name}`));
      const resourcesApplied = plan.steps
        .flatMap((candidate) => candidate.tasks)
        .every((task) => task.hook || applied.has(`${task.object.kind}/${task.object.metadata.name}`));
      return { phase: 'Failed', message: 'one or more synchronization tasks completed unsuccessfully', resources, resourcesApplied };
    }
  }
  return { phase: 'Succeeded', message: 'successfully synced (all tasks run)', resources, resourcesApplied: true };
}

/** An Application's status once a sync of `sha` succeeded and everything is healthy, running `images`. */
export function syncedAndHealthy(sha: string, images: readonly string[]) {
  return {
    sync: { status: 'Synced', revision: sha },
    health: { status: 'Healthy' },
    operationState: {
      phase: 'Succeeded',
      message: 'successfully synced',
      startedAt: '2025-01-01T00:00:00Z',
      operation: { sync: { revision: sha } },
      syncResult: { revision: sha },
    },
    summary: { images: [...images] },
  };
}

export class ArgoCdSimulation {
  readonly previews = new Map<number, SimulatedPreview>();

  constructor(
    private readonly kubernetes: FakeKubernetes,
    private readonly options: { app: string; repoURL: string; applicationSet: string; host: (n: number) => string },
  ) {}

  name(number: number): string {
    return `${this.options.app}-pr-${number}`;
  }

  /** The ApplicationSet creates the preview's Application (Argo CD has not synced it yet). */
  create(number: number, sha: string): string {
    const preview: SimulatedPreview = { number, sha, phase: 'created' };
    this.previews.set(number, preview);
    const set = this.kubernetes.store.get('applicationsets', 'argocd', this.options.applicationSet);
    const object: StoredObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: this.name(number),
        namespace: 'argocd',
        labels: {
          'app.kubernetes.io/part-of': this.options.app,
          'app.kubernetes.io/managed-by': 'dynenv',
          'dynenv.io/environment': 'preview',
          'dynenv.io/pull-request': String(number),
        },
        annotations: { 'link.argocd.argoproj.io/preview': `https://${this.options.host(number)}` },
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: this.options.applicationSet, uid: set?.metadata.uid ?? 'uid', controller: true },
        ],
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: this.spec(preview),
      status: this.status(preview),
    };
    return this.kubernetes.store.create('applications', object).metadata.resourceVersion!;
  }

  /**
   * The ApplicationSet controller made the preview's Application, or pointed it at a new head commit `sha`:
   * Argo CD starts over on it (not synced yet). Resolves to the new resourceVersion.
   */
  adopt(number: number, sha: string): string {
    const preview: SimulatedPreview = { number, sha, phase: 'created', adopted: true };
    this.previews.set(number, preview);
    return this.write(preview);
  }

  /** Argo CD moves the preview to `phase`; resolves to the new resourceVersion. */
  move(number: number, phase: PreviewPhase): string {
    const preview = this.require(number);
    preview.phase = phase;
    preview.played = undefined;
    return this.write(preview);
  }

  /** Argo CD finished a sync of the preview at its commit as `played` says (every resource healthy). */
  finish(number: number, played: PlayedSync): string {
    const preview = this.require(number);
    preview.phase = played.phase === 'Succeeded' ? 'healthy' : 'hook-failed';
    preview.played = played;
    return this.write(preview);
  }

  /** The ApplicationSet points the preview at a new head commit. */
  push(number: number, sha: string): string {
    const preview = this.require(number);
    preview.sha = sha;
    preview.phase = 'created';
    preview.played = undefined;
    return this.write(preview);
  }

  /** The pull request closed: the Application is deleted (its finalizer ran). */
  remove(number: number): void {
    this.previews.delete(number);
    const name = this.name(number);
    const current = this.kubernetes.store.get('applications', 'argocd', name);
    if (!current) return;
    this.kubernetes.store.update('applications', { ...current, metadata: { ...current.metadata, finalizers: [] } });
    if (this.kubernetes.store.get('applications', 'argocd', name)) this.kubernetes.store.delete('applications', 'argocd', name);
  }

  private require(number: number): SimulatedPreview {
    const preview = this.previews.get(number);
    if (!preview) throw new Error(`no preview ${number}`);
    return preview;
  }

  private write(preview: SimulatedPreview): string {
    const current = this.kubernetes.store.get('applications', 'argocd', this.name(preview.number))!;
    const spec = preview.adopted ? current.spec : this.spec(preview);
    return this.kubernetes.store.update('applications', { ...current, spec, status: this.status(preview) }).metadata.resourceVersion!;
  }

  private spec(preview: SimulatedPreview) {
    return {
      project: `${this.options.app}-previews`,
      source: { repoURL: this.options.repoURL, targetRevision: preview.sha, path: 'gitops/overlays/preview' },
      destination: { server: 'https://kubernetes.default.svc', namespace: this.name(preview.number) },
    };
  }

  private status(preview: SimulatedPreview) {
    const { sha, phase, played } = preview;
    const images = [`ghcr.io/example-org/checkout-api:sha-${sha}`];
    if (played) {
      return {
        sync: { status: played.resourcesApplied ? 'Synced' : 'OutOfSync', revision: sha },
        health: { status: 'Healthy' },
        operationState: {
          phase: played.phase,
          message: played.message,
          startedAt: '2025-01-01T00:00:00Z',
          finishedAt: '2025-01-01T00:05:00Z',
          operation: { sync: { revision: sha } },
          syncResult: { revision: sha, resources: played.resources.map((entry) => ({ ...entry })) },
        },
        summary: { images },
      };
    }
    switch (phase) {
      case 'created':
        return { sync: { status: 'OutOfSync', revision: sha }, health: { status: 'Missing' } };
      case 'syncing':
        return {
          sync: { status: 'OutOfSync', revision: sha },
          health: { status: 'Progressing' },
          operationState: { phase: 'Running', message: 'waiting for healthy state', startedAt: '2025-01-01T00:00:00Z', operation: { sync: { revision: sha } } },
        };
      case 'healthy':
        return syncedAndHealthy(sha, images);
      case 'degraded':
        return {
          sync: { status: 'Synced', revision: sha },
          health: { status: 'Degraded' },
          resources: [
            {
              kind: 'Deployment',
              name: 'api',
              version: 'v1',
              group: 'apps',
              health: { status: 'Degraded', message: 'Deployment "api" exceeded its progress deadline' },
            },
          ],
          summary: { images },
        };
      case 'hook-failed':
        return {
          sync: { status: 'OutOfSync', revision: sha },
          health: { status: 'Progressing' },
          operationState: {
            phase: 'Failed',
            message: 'one or more synchronization tasks completed unsuccessfully',
            startedAt: '2025-01-01T00:00:00Z',
            operation: { sync: { revision: sha } },
            syncResult: {
              revision: sha,
              resources: [
                {
                  kind: 'Job',
                  name: 'smoke-test',
                  namespace: this.name(preview.number),
                  version: 'v1',
                  group: 'batch',
                  hookPhase: 'Failed',
                  hookType: 'PostSync',
                  message: 'Job has reached the specified backoff limit',
                },
              ],
            },
          },
        };
    }
  }
}
