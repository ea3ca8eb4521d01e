/**
 * Where each object a pod may need comes from, for one Application: a task of its own sync that applies it (an
 * ordinary resource, or a hook that is itself that object) or whose pods create it (a hook that declares
 * `dynenv.io/creates`), another Application deploying into the same namespace (the preview's fence), or the
 * cluster itself (objects declared external in dynenv.yaml, and what every namespace has).
 */
import type { ExternalObjects } from '../../config/schema.ts';
import { CREATES_ANNOTATION } from '../../constructs/argocd-sync.ts';
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import type { PodReferenceKind } from '../pod-references.ts';
import { syncPhases } from './sync-annotations.ts';
import type { SyncPlan, SyncStep } from './sync-plan.ts';
import type { SyncTask } from './sync-tasks.ts';

/** A task of this Application's sync that provides an object, and the step it runs in. */
export interface OwnProvider {
  /** `applies`: the task is the object; `creates`: the task's pods create it while they run. */
  readonly how: 'applies' | 'creates';
  readonly task: SyncTask;
  readonly step: SyncStep;
}

/** Another Application that provides an object: it syncs on its own, before or after this one. */
export interface CompanionProvider {
  /** Its overlay's name, e.g. `preview-fence`. */
  readonly name: string;
  readonly how: 'applies' | 'creates';
}

/** The objects of another Application deploying into the same namespace. */
export interface CompanionApplication {
  readonly name: string;
  readonly objects: readonly KubernetesObject[];
}

/** Objects a namespace holds from the moment it exists. */
const EVERY_NAMESPACE_HAS: ReadonlySet<string> = new Set(['ServiceAccount/default', 'ConfigMap/kube-root-ca.crt']);

const EXTERNAL_LISTS: Readonly<Partial<Record<PodReferenceKind, keyof ExternalObjects>>> = {
  ServiceAccount: 'serviceAccounts',
  Secret: 'secrets',
  ConfigMap: 'configMaps',
};

export interface Providers {
  /** The tasks of this sync that apply or create `kind/name`, earliest step first. */
  own(kind: string, name: string): readonly OwnProvider[];
  /** The first companion Application that applies or creates it. */
  companion(kind: string, name: string): CompanionProvider | undefined;
  /** Present before any sync: declared external, or in every namespace. */
  inCluster(kind: string, name: string): boolean;
}

export function providersOf(plan: SyncPlan, companions: readonly CompanionApplication[], external: ExternalObjects): Providers {
  const own = new Map<string, OwnProvider[]>();
  const add = (key: string, provider: OwnProvider) => own.set(key, [...(own.get(key) ?? []), provider]);
  for (const step of plan.steps) {
    for (const task of step.tasks) {
      add(keyOf(task.object.kind, task.object.metadata?.name ?? ''), { how: 'applies', task, step });
      for (const key of createdBy(task.object)) add(key, { how: 'creates', task, step });
    }
  }
  const fromCompanions = new Map<string, CompanionProvider>();
  for (const companion of companions) {
    // Objects a companion never applies (skipped, or a hook of no known phase) provide nothing.
    for (const object of companion.objects.filter((candidate) => syncPhases(candidate).length > 0)) {
      const created = createdBy(object);
      for (const key of [keyOf(object.kind, object.metadata?.name ?? ''), ...created]) {
        if (!fromCompanions.has(key)) fromCompanions.set(key, { name: companion.name, how: created.includes(key) ? 'creates' : 'applies' });
      }
    }
  }
  return {
    own: (kind, name) => own.get(keyOf(kind, name)) ?? [],
    companion: (kind, name) => fromCompanions.get(keyOf(kind, name)),
    inCluster: (kind, name) => {
      if (EVERY_NAMESPACE_HAS.has(keyOf(kind, name))) return true;
      const list = EXTERNAL_LISTS[kind as PodReferenceKind];
      return list !== undefined && external[list].includes(name);
    },
  };
}

export function keyOf(kind: string, name: string): string {
  return `${kind}/${name}`;
}

/** The `Kind/name` entries of an object's `dynenv.io/creates` annotation. */
export function createdBy(object: KubernetesObject): string[] {
  const value = (object.metadata?.annotations as Record<string, unknown> | undefined)?.[CREATES_ANNOTATION];
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => /^[A-Za-z]+\/[^/\s]+$/.test(entry));
}
