/**
 * The findings of the `sync-order` rule: each problem of a played sync said as the object at fault, its phase and
 * wave, what it needs, where that comes from (or that nothing provides it), what a user would see, and what to
 * change.
 */
import { finding, type Finding } from '../finding.ts';
import type { SyncProblem } from './sync-play.ts';
import { stepName, type SyncStep } from './sync-plan.ts';
import type { PodReference } from '../pod-references.ts';
import type { OwnProvider } from './providers.ts';
import type { SyncTask } from './sync-tasks.ts';
import { endsIfLateText, endsText, usesText, withoutText } from './waiting.ts';

export const SYNC_ORDER_RULE = 'sync-order';

/** `this Sync hook (wave -5) runs as ServiceAccount "api"`, `the sync waits in wave -8 for it to be healthy, and it reads ...`. */
function needText(task: SyncTask, step: SyncStep, reference: PodReference, conjunction: 'and' | 'but' = 'and'): string {
  if (task.hook) return `this ${task.phase} hook (wave ${task.wave}) ${usesText(reference)}`;
  return `the sync waits in ${stepName(step)} for it to be healthy, ${conjunction} it ${usesText(reference)}`;
}

function objectName(task: SyncTask): string {
  return `${task.object.kind}/${task.object.metadata?.name}`;
}

/** `which this Application applies only in wave 0`, `which only Job/x creates, a Sync hook in wave -3`. */
function providerText(provider: OwnProvider): string {
  if (provider.how === 'applies') {
    const as = provider.task.hook ? ` (a ${provider.task.phase} hook)` : '';
    return `which this Application applies only in ${stepName(provider.step)}${as}`;
  }
  const role = provider.task.hook ? `a ${provider.task.phase} hook in wave ${provider.task.wave}` : `in ${stepName(provider.step)}`;
  return `which only ${objectName(provider.task)} creates, ${role}`;
}

function lateFix(problem: Extract<SyncProblem, { type: 'late' }>): string {
  const { consumer, provider, reference } = problem;
  const moveConsumer = `or move ${objectName(consumer)} to a later wave than ${objectName(provider.task)}`;
  if (provider.how === 'creates') return `run ${objectName(provider.task)} in an earlier wave, so that it has completed before, ${moveConsumer}`;
  const phase = provider.task.phase === consumer.phase ? '' : ` in the ${consumer.phase} phase`;
  return `apply ${reference.kind}/${reference.name} before it: give it argocd.argoproj.io/sync-wave "${consumer.wave - 1}" or lower${phase}, ${moveConsumer}`;
}

export function syncOrderFinding(problem: SyncProblem, scope: string): Finding {
  switch (problem.type) {
    case 'late': {
      const { consumer, step, reference, provider } = problem;
      const at = { scope, object: consumer.object, path: reference.path };
      const then = consumer.hook
        ? `after the hook must have completed: on a first sync its pods ${withoutText(reference)} ${endsText(consumer.object)}; later syncs run it with the previous ${reference.kind} "${reference.name}"`
        : `after that: on a first sync its pods ${withoutText(reference)} ${endsText(consumer.object)}`;
      return finding(SYNC_ORDER_RULE, at, `${needText(consumer, step, reference, 'but')}, ${providerText(provider)}, ${then}`, lateFix(problem));
    }
    case 'eventual': {
      const { consumer, step, reference, provider } = problem;
      const source = provider.how === 'creates' ? 'is created by' : 'comes from';
      return finding(
        SYNC_ORDER_RULE,
        { scope, object: consumer.object, path: reference.path },
        `${needText(consumer, step, reference)}, which ${source} overlays/${provider.name}, another Application that syncs on its own: ` +
          `until that one has synced, its pods ${withoutText(reference)}, ${endsIfLateText(consumer.object)}`,
        `nothing to do when ${provider.name} syncs first or soon after (it normally syncs at once); if it may take longer, ` +
          `provide ${reference.kind} "${reference.name}" in this Application or give ${objectName(consumer)} more time`,
        'warning',
      );
    }
    case 'missing': {
      const { consumer, step, reference } = problem;
      const role = consumer.hook ? `this ${consumer.phase} hook (wave ${consumer.wave})` : `in ${stepName(step)}, it`;
      return finding(
        SYNC_ORDER_RULE,
        { scope, object: consumer.object, path: reference.path },
        `${role} ${usesText(reference)}, which nothing applies (not this Application, nor another in its namespace): its pods ${withoutText(reference)}`,
        `add the ${reference.kind} to the overlay, in the wave of its first consumer${reference.kind === 'PersistentVolumeClaim' ? ', or use a StatefulSet volumeClaimTemplate' : ''}`,
      );
    }
    case 'deleted-after-sync': {
      const { consumer, reference, provider } = problem;
      return finding(
        SYNC_ORDER_RULE,
        { scope, object: consumer.object, path: reference.path },
        `it ${usesText(reference)}, a ${provider.task.phase} hook that Argo CD deletes once the sync has succeeded (hook-delete-policy ` +
          `HookSucceeded): its pods started after that (a restart, a rollout, a new replica) ${withoutText(reference)}`,
        `make ${reference.kind}/${reference.name} an ordinary resource (no argocd.argoproj.io/hook), or drop HookSucceeded from its hook-delete-policy`,
      );
    }
    case 'claim-before-consumer': {
      const { claim, step, firstConsumer } = problem;
      const first = firstConsumer
        ? `${objectName(firstConsumer.task)}, its first user, starts only in ${stepName(firstConsumer.step)}`
        : 'no pod of this Application uses it';
      return finding(
        SYNC_ORDER_RULE,
        { scope, object: claim.object },
        `in ${stepName(step)}, the sync waits for it to be Bound, but ${first}: a claim of a WaitForFirstConsumer StorageClass ` +
          '(the default of many clusters) stays Pending until a pod uses it, and Argo CD counts Pending as Progressing, so the sync never gets there',
        firstConsumer
          ? `give it the wave of ${objectName(firstConsumer.task)}: argocd.argoproj.io/sync-wave "${firstConsumer.task.wave}"`
          : 'give it the wave of the first pod that uses it, or remove it',
        'warning',
      );
    }
    case 'namespace-from-companion':
      return finding(
        SYNC_ORDER_RULE,
        { scope, object: { kind: 'Namespace', metadata: { name: problem.namespace } } },
        `this Application deploys into namespace "${problem.namespace}", which only overlays/${problem.companion} creates, another Application that ` +
          `syncs on its own: until it has, each sync of this one fails (namespaces "${problem.namespace}" not found) and Argo CD retries it ` +
          '(syncPolicy.retry); once the retries are spent, only a new commit or a manual sync tries again',
        `nothing to do when ${problem.companion} syncs first or within the retries (it normally syncs at once); otherwise sync it, then this one`,
        'warning',
      );
  }
}
