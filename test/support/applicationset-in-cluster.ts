/**
 * The simulated ApplicationSet controller (test/support/applicationset-controller.ts) living in the fake
 * Kubernetes API as Argo CD's does, for one ApplicationSet stored there:
 *
 * - it reconciles the set every `requeueAfterSeconds` of its plugin generator, on the test's timers, counted from
 *   the end of the last reconcile (the "next poll" previews wait for without a refresh);
 * - and at once when the set carries `argocd.argoproj.io/application-set-refresh: "true"`, which it removes once
 *   the set was regenerated (applicationset_controller.go); an error answer leaves it, so the next poll tries again;
 * - each reconcile asks the plugin with the generator's parameters, judged by the wrapped controller, and on a 2xx
 *   makes the Applications of the answer from the set's template (goTemplate, as test/support/argocd-render.ts
 *   renders it), owned by the set: new ones created, changed ones updated (their status kept), the others deleted
 *   (their finalizers are the application controller's business).
 */
import { isDeepStrictEqual } from 'node:util';
import { REFRESH_ANNOTATION } from '../../plugin-server/controller/application-set-refresher.ts';
import type { Timers } from '../../plugin-server/controller/status/timers.ts';
import type { FakeKubernetes, StoredObject } from '../fake-kubernetes/index.ts';
import type { SimulatedApplicationSetController } from './applicationset-controller.ts';
import { applicationsOf } from './argocd-render.ts';

interface OwnerReference {
  readonly kind: string;
  readonly name: string;
}

interface PluginGenerator {
  readonly plugin?: { readonly input?: { readonly parameters?: Record<string, unknown> }; readonly requeueAfterSeconds?: number };
}

/** The parameters and poll interval of `set`'s (first) plugin generator. */
export function pluginGeneratorOf(set: StoredObject): { parameters: Record<string, unknown>; requeueMs: number } {
  const generator = ((set.spec as { generators: PluginGenerator[] }).generators.find((g) => g.plugin) ?? {}).plugin;
  if (!generator) throw new Error(`ApplicationSet ${set.metadata.name} has no plugin generator`);
  // Argo CD's default requeue for a plugin generator is 30 minutes.
  return { parameters: generator.input?.parameters ?? {}, requeueMs: (generator.requeueAfterSeconds ?? 1800) * 1000 };
}

export class ApplicationSetInCluster {
  /** Reconciles started by the refresh annotation, and by the poll. */
  readonly reconciles = { refresh: 0, poll: 0 };
  private running: Promise<void> | undefined;
  private again = false;
  private cancelPoll: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly kubernetes: FakeKubernetes,
    private readonly timers: Timers,
    /** Asks the plugin and judges the answer; its `applications` are the parameter sets applied. */
    readonly controller: SimulatedApplicationSetController,
    readonly name: string,
    private readonly namespace = 'argocd',
  ) {}

  start(): void {
    this.unsubscribe = this.kubernetes.store.onEvent((event) => {
      if (event.resource !== 'applicationsets' || event.type === 'DELETED' || event.object.metadata.name !== this.name) return;
      if (event.object.metadata.namespace !== this.namespace || event.object.metadata.annotations?.[REFRESH_ANNOTATION] !== 'true') return;
      // After every watcher got this event: no write inside another write's notification.
      queueMicrotask(() => {
        this.reconciles.refresh += 1;
        void this.reconcile();
      });
    });
    this.schedulePoll();
  }

  stop(): void {
    this.unsubscribe?.();
    this.cancelPoll?.();
    this.unsubscribe = this.cancelPoll = undefined;
  }

  /** Resolves once no reconcile runs. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** One reconcile now (or one more after the running one). */
  reconcile(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.cancelPoll?.();
    this.running = (async () => {
      do {
        this.again = false;
        const set = this.kubernetes.store.get('applicationsets', this.namespace, this.name);
        if (!set) return;
        const status = await this.controller.poll();
        if (status < 200 || status >= 300) continue;
        this.apply(set);
        this.removeRefreshAnnotation();
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
      if (this.unsubscribe) this.schedulePoll();
    });
    return this.running;
  }

  private schedulePoll(): void {
    const set = this.kubernetes.store.get('applicationsets', this.namespace, this.name);
    if (!set) return;
    this.cancelPoll = this.timers.setTimeout(() => {
      this.reconciles.poll += 1;
      void this.reconcile();
    }, pluginGeneratorOf(set).requeueMs);
  }

  /** Makes the stored Applications of this set exactly those of the last answer applied. */
  private apply(set: StoredObject): void {
    const { store } = this.kubernetes;
    const owner = { apiVersion: set.apiVersion, kind: 'ApplicationSet', name: this.name, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true };
    const desired = applicationsOf(set as unknown as { spec: { template: unknown } }, [...this.controller.applications.values()]);
    const owned = store
      .list('applications', this.namespace)
      .filter((application) =>
        (application.metadata.ownerReferences as OwnerReference[] | undefined)?.some((o) => o.kind === 'ApplicationSet' && o.name === this.name),
      );
    const names = new Set(desired.map((application) => application.metadata.name));
    for (const application of desired) {
      const current = owned.find((candidate) => candidate.metadata.name === application.metadata.name);
      const metadata = { ...application.metadata, namespace: this.namespace, ownerReferences: [owner] };
      if (!current) {
        store.create('applications', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata, spec: application.spec } as StoredObject);
        continue;
      }
      // Argo CD leaves an Application being deleted alone until it is gone.
      if (current.metadata.deletionTimestamp) continue;
      const same =
        isDeepStrictEqual(current.spec, application.spec) &&
        isDeepStrictEqual(current.metadata.labels, metadata.labels) &&
        isDeepStrictEqual(current.metadata.annotations, metadata.annotations);
      if (!same)
        store.update('applications', {
          ...current,
          metadata: { ...current.metadata, labels: metadata.labels, annotations: metadata.annotations },
          spec: application.spec,
        });
    }
    for (const application of owned) {
      if (!names.has(application.metadata.name) && !application.metadata.deletionTimestamp)
        store.delete('applications', this.namespace, application.metadata.name);
    }
  }

  private removeRefreshAnnotation(): void {
    const set = this.kubernetes.store.get('applicationsets', this.namespace, this.name);
    if (set?.metadata.annotations?.[REFRESH_ANNOTATION] === undefined) return;
    const annotations = { ...set.metadata.annotations };
    delete annotations[REFRESH_ANNOTATION];
    this.kubernetes.store.update('applicationsets', { ...set, metadata: { ...set.metadata, annotations } });
  }
}
