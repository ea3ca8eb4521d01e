/**
 * What the hooks of a sync do besides their order: they run again on every full sync (each new revision, a change
 * to the Application, a manual sync, a retry; a self-heal sync is a partial sync and skips hooks: argo-cd
 * controller/appcontroller.go `autoSync`, controller/sync.go `WithOperationSettings`), and a Job or Pod the sync
 * waits for holds it until it ends.
 */
import { IDEMPOTENT_ANNOTATION } from '../../constructs/argocd-sync.ts';
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { finding, type Finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import type { Rule } from '../rule.ts';
import { planSync } from '../sync-simulation/sync-plan.ts';
import { podsStartedBy } from '../sync-simulation/sync-play.ts';
import { orderedSyncTasks, type SyncTask } from '../sync-simulation/sync-tasks.ts';
import { activeDeadline } from '../sync-simulation/waiting.ts';

/** The tasks of each object, per environment overlay, as one sync runs them. */
function tasksByObject(scope: { objects: readonly KubernetesObject[]; namespace: string | undefined }): Map<KubernetesObject, SyncTask[]> {
  const byObject = new Map<KubernetesObject, SyncTask[]>();
  for (const task of orderedSyncTasks(scope.objects, scope.namespace)) byObject.set(task.object, [...(byObject.get(task.object) ?? []), task]);
  return byObject;
}

function hookText(tasks: readonly SyncTask[]): string {
  return `${tasks.map((task) => task.phase).join(' and ')} hook in wave ${tasks[0]!.wave}`;
}

export const syncRerunRule: Rule = {
  id: 'sync-rerun',
  summary: 'a hook that runs pods on every full sync is declared idempotent (dynenv.io/idempotent), so seed data is not written twice',
  check(tree) {
    const findings: Finding[] = [];
    for (const scope of tree.scopes.filter((candidate) => candidate.environment)) {
      for (const [object, tasks] of tasksByObject(scope)) {
        if (!tasks[0]!.hook || podsStartedBy(object) === undefined) continue;
        if (object.metadata?.annotations?.[IDEMPOTENT_ANNOTATION] === 'true') continue;
        const when = tasks.every((task) => task.phase === 'SyncFail')
          ? 'on every failed sync'
          : 'on every full sync (each new commit, a change to the Application, a manual sync, a retry; self-heal syncs run no hook)';
        findings.push(
          finding(
            'sync-rerun',
            { scope: scope.name, object },
            `${hookText(tasks)}: Argo CD runs it again ${when}, and it is not declared idempotent: if its pods write data (seed data, an import), they write it again`,
            `if running it again is safe, say so with the annotation ${IDEMPOTENT_ANNOTATION}: "true"; work that must happen once (seed data) belongs in a plain Job, which Argo CD creates once (README: Sync order)`,
            'warning',
          ),
        );
      }
    }
    return findings;
  },
};

export const syncDeadlineRule: Rule = {
  id: 'sync-deadline',
  summary: 'every Job or Pod a sync waits for (hooks, and resources of a wave before the last) has activeDeadlineSeconds',
  check(tree) {
    const findings: Finding[] = [];
    for (const scope of tree.scopes.filter((candidate) => candidate.environment)) {
      const awaited = new Set<KubernetesObject>();
      for (const step of planSync(orderedSyncTasks(scope.objects, scope.namespace)).steps) {
        for (const task of step.tasks) if (task.hook || step.awaitsResources) awaited.add(task.object);
      }
      for (const [object, tasks] of tasksByObject(scope)) {
        const runsToCompletion = isKind(object, 'batch', 'Job') || (isKind(object, '', 'Pod') && podsStartedBy(object)?.longRunning === false);
        if (!runsToCompletion || !awaited.has(object) || activeDeadline(object) !== undefined) continue;
        const role = tasks[0]!.hook ? hookText(tasks) : `in wave ${tasks[0]!.wave}, the sync waits for it to complete`;
        findings.push(
          finding(
            'sync-deadline',
            { scope: scope.name, object, path: ['spec'] },
            `${role}, and it has no activeDeadlineSeconds: a pod that never finishes (an image that never pulls, a database that never answers) ` +
              'holds the sync, and with it the deletion of the environment, until someone runs argocd app terminate-op',
            `set spec.activeDeadlineSeconds${isKind(object, 'batch', 'Job') ? ' (and spec.backoffLimit)' : ''} to the longest it may take`,
            'warning',
          ),
        );
      }
    }
    return findings;
  },
};
