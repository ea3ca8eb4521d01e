/**
 * The tasks of one sync and their order, as gitops-engine computes them (argoproj/argo-cd
 * gitops-engine/pkg/sync/sync_tasks.go, `syncTasks.Less` and `Sort`; sync_context.go `getSyncTasks`): one task per
 * object and phase it takes part in, ordered by phase (PreSync, Sync, PostSync, SyncFail), then wave, then kind in
 * Helm's install order (`kindOrder` below; every other kind after it), then name. Then a Namespace moves before
 * the first task in it, taking that task's phase and wave, and a CustomResourceDefinition before the first custom
 * resource of its kind.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { apiGroup, isKind } from '../kinds.ts';
import { asRecord, asString, valueAt } from '../object-access.ts';
import { isHook, SYNC_PHASES, syncPhases, syncWaveOf, type SyncPhase } from './sync-annotations.ts';

/**
 * gitops-engine's `kindOrder` (sync_tasks.go, taken from Helm's kind_sorter.go), verbatim: kinds earlier in this
 * list are applied first within a wave; a kind not in it (a custom resource) comes after all of them.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

/** gitops-engine's numbers: Namespace −35 … APIService −1, and 0 for every kind not listed (it sorts last). */
export function kindRank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index === -1 ? 0 : index - KIND_ORDER.length;
}

/** One thing a sync does: apply an object (or run it, for a hook) in one phase and wave. */
export interface SyncTask {
  readonly object: KubernetesObject;
  /** The namespace it is applied in: its own, else the Application's destination namespace. */
  readonly namespace: string | undefined;
  readonly phase: SyncPhase;
  /** Its wave, after a Namespace or CRD took the wave of the first task that needs it. */
  readonly wave: number;
  readonly hook: boolean;
}

/**
 * The tasks a sync of `objects` runs, in gitops-engine's order. `namespace` is the Application's destination
 * namespace, which Argo CD gives every object that has none.
 */
export function orderedSyncTasks(objects: readonly KubernetesObject[], namespace: string | undefined): SyncTask[] {
  const tasks = objects.flatMap((object) =>
    syncPhases(object).map((phase) => ({ object, namespace: object.metadata?.namespace ?? namespace, phase, wave: syncWaveOf(object), hook: isHook(object) })),
  );
  tasks.sort(compareTasks);
  // Namespaces before what is in them.
  moveDependenciesFirst(
    tasks,
    (task) => (isKind(task.object, '', 'Namespace') ? task.object.metadata.name : undefined),
    (task) => task.namespace,
  );
  // CRDs before their custom resources.
  moveDependenciesFirst(tasks, customResourceKindOf, (task) => `${apiGroup(String(task.object.apiVersion))}/${task.object.kind}`);
  return tasks;
}

/** `syncTasks.Less`: phase, wave, kind, name (then namespace and group, only to make ties deterministic). */
export function compareTasks(a: SyncTask, b: SyncTask): number {
  return (
    SYNC_PHASES.indexOf(a.phase) - SYNC_PHASES.indexOf(b.phase) ||
    a.wave - b.wave ||
    kindRank(a.object.kind) - kindRank(b.object.kind) ||
    compareText(a.object.metadata?.name ?? '', b.object.metadata?.name ?? '') ||
    compareText(a.namespace ?? '', b.namespace ?? '') ||
    compareText(String(a.object.apiVersion), String(b.object.apiVersion))
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<group>/<kind>` of the custom resources a CustomResourceDefinition defines. */
function customResourceKindOf(task: SyncTask): string | undefined {
  if (!isKind(task.object, 'apiextensions.k8s.io', 'CustomResourceDefinition')) return undefined;
  const group = asString(valueAt(task.object, ['spec', 'group']));
  const kind = asString(asRecord(valueAt(task.object, ['spec', 'names']))?.kind);
  return group !== undefined && kind !== undefined ? `${group}/${kind}` : undefined;
}

/**
 * `syncTasks.adjustDeps`: a task that others depend on (a Namespace, a CRD) and that sorts after the first of them
 * moves just before it and takes its phase and wave. `dependencyKey` names what a task provides; `referenceKey`
 * what it needs. Sorted in place.
 */
function moveDependenciesFirst(
  tasks: SyncTask[],
  dependencyKey: (task: SyncTask) => string | undefined,
  referenceKey: (task: SyncTask) => string | undefined,
): void {
  const firstReference = new Map<string, number>();
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index]!;
    const provides = dependencyKey(task);
    if (provides !== undefined) {
      const first = firstReference.get(provides);
      if (first === undefined) continue;
      const moved: SyncTask = { ...task, phase: tasks[first]!.phase, wave: tasks[first]!.wave };
      tasks.splice(index, 1);
      tasks.splice(first, 0, moved);
      for (const [key, position] of firstReference) if (position >= first) firstReference.set(key, position + 1);
      continue;
    }
    const needs = referenceKey(task);
    if (needs !== undefined && !firstReference.has(needs)) firstReference.set(needs, index);
  }
}
