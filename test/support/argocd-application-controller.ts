/**
 * Argo CD's application controller for the preview Applications the ApplicationSet controller makes
 * (test/support/applicationset-in-cluster.ts), played on the fake Kubernetes API:
 *
 * - a workloads Application that is new, or pointed at a new head commit, starts syncing there
 *   (`ArgoCdSimulation.adopt`); the test then moves it through its states as before;
 * - a fence Application syncs at once: it applies the preview's Namespace (with dynenv's labels and the pull
 *   request's URL, as the synthesized fence overlay writes them) and is Synced and Healthy;
 * - an Application being deleted has its resources finalizer run: the fence's goes with its Namespace, unless the
 *   test made that fail (`leaveNamespace`, as a finalizer that failed or `--cascade=false` do), which leaves an
 *   orphan only `dynenv sweep` removes.
 *
 * Events are handled after every watcher got them (never a write inside another write's notification, which
 * would reach some watches out of order); `idle()` resolves once all are handled.
 */
import type { FakeKubernetes, StoredObject } from '../fake-kubernetes/index.ts';
import type { StoredEvent } from '../fake-kubernetes/store.ts';
import type { ArgoCdSimulation } from './argocd-simulation.ts';

/** The commit a fence Application reports as synced (its targetRevision is the branch). */
export const FENCE_REVISION = 'fe'.repeat(20);

export class SimulatedApplicationController {
  private readonly leaving = new Set<number>();
  private handled: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly kubernetes: FakeKubernetes,
    private readonly argo: ArgoCdSimulation,
    private readonly app: string,
  ) {
    this.unsubscribe = kubernetes.store.onEvent((event) => {
      if (event.resource === 'applications') this.handled = this.handled.then(() => this.handle(event));
    });
  }

  /** The preview's Namespace will survive the deletion of its Applications. */
  leaveNamespace(number: number): void {
    this.leaving.add(number);
  }

  idle(): Promise<void> {
    return this.handled;
  }

  stop(): void {
    this.unsubscribe();
  }

  private handle(event: StoredEvent): void {
    const labels = event.object.metadata.labels ?? {};
    if (event.type === 'DELETED' || labels['app.kubernetes.io/part-of'] !== this.app || labels['dynenv.io/environment'] !== 'preview') return;
    const { store } = this.kubernetes;
    const current = store.get('applications', event.object.metadata.namespace, event.object.metadata.name);
    // A later event of the same Application is handled on its own.
    if (!current || current.metadata.resourceVersion !== event.object.metadata.resourceVersion) return;
    const number = Number(labels['dynenv.io/pull-request']);
    const fence = labels['dynenv.io/preview-part'] === 'fence';
    if (current.metadata.deletionTimestamp) return this.finalize(current, number, fence);
    if (fence) {
      if (current.status === undefined) this.syncFence(current, number);
      return;
    }
    const sha = (current.spec as { source: { targetRevision: string } }).source.targetRevision;
    if (this.argo.previews.get(number)?.sha !== sha) this.argo.adopt(number, sha);
  }

  private syncFence(application: StoredObject, number: number): void {
    const { store } = this.kubernetes;
    const namespace = (application.spec as { destination: { namespace: string } }).destination.namespace;
    if (!store.get('namespaces', undefined, namespace)) {
      store.create('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          labels: {
            'app.kubernetes.io/managed-by': 'dynenv',
            'app.kubernetes.io/part-of': this.app,
            'dynenv.io/environment': 'preview',
            'dynenv.io/pull-request': String(number),
          },
          annotations: { 'dynenv.io/pull-request-url': application.metadata.annotations?.['link.argocd.argoproj.io/pull-request'] ?? '' },
        },
      });
    }
    store.update('applications', {
      ...application,
      status: { sync: { status: 'Synced', revision: FENCE_REVISION }, health: { status: 'Healthy' } },
    });
  }

  private finalize(application: StoredObject, number: number, fence: boolean): void {
    const { store } = this.kubernetes;
    if (fence) {
      const namespace = (application.spec as { destination: { namespace: string } }).destination.namespace;
      if (!this.leaving.has(number) && store.get('namespaces', undefined, namespace)) store.delete('namespaces', undefined, namespace);
      store.update('applications', { ...application, metadata: { ...application.metadata, finalizers: [] } });
    } else {
      this.argo.remove(number);
    }
  }
}
