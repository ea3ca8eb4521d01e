/**
 * Plays one Application's first sync, step by step, and says where it would stall or fail: a hook whose pods need
 * something this sync applies only after the hook must have completed (it waits until its deadline, then the sync
 * fails), a resource the sync waits for whose pods need something that comes later (the sync waits forever, or
 * until the workload gives up), something that only another Application provides (it arrives when that one
 * syncs), and objects that Argo CD deletes or cannot bind in time. A first sync is the hard case: on later syncs
 * the objects of earlier syncs exist, but a hook that runs before its configuration then runs with the previous
 * one.
 */
import type { ExternalObjects } from '../../config/schema.ts';
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { isKind } from '../kinds.ts';
import { podReferences, type PodReference } from '../pod-references.ts';
import { podTemplateOf, type PodTemplate } from '../pod-templates.ts';
import { hookDeletePolicies } from './sync-annotations.ts';
import { planSync, type SyncPlan, type SyncStep } from './sync-plan.ts';
import { keyOf, providersOf, type CompanionApplication, type CompanionProvider, type OwnProvider } from './providers.ts';
import { orderedSyncTasks, type SyncTask } from './sync-tasks.ts';

/** One Application: the objects its source renders and its destination namespace. */
export interface Application {
  /** Its overlay's name, e.g. `preview`. */
  readonly name: string;
  readonly namespace: string | undefined;
  readonly objects: readonly KubernetesObject[];
}

/** A task whose pods need `reference`, in the step it runs in. */
interface Need {
  readonly consumer: SyncTask;
  readonly step: SyncStep;
  readonly reference: PodReference;
}

export type SyncProblem =
  /** A hook, or a resource the sync waits for, needs what this sync provides only in a later step. */
  | (Need & { readonly type: 'late'; readonly provider: OwnProvider })
  /** ...needs what only another Application provides: it is there once that one has synced. */
  | (Need & { readonly type: 'eventual'; readonly provider: CompanionProvider })
  /** ...needs what nothing provides. */
  | (Need & { readonly type: 'missing' })
  /** Long-running pods need a hook object that Argo CD deletes once the sync has succeeded. */
  | (Need & { readonly type: 'deleted-after-sync'; readonly provider: OwnProvider })
  /** A claim the sync waits to be bound before any pod uses it. */
  | {
      readonly type: 'claim-before-consumer';
      readonly claim: SyncTask;
      readonly step: SyncStep;
      readonly firstConsumer?: { readonly task: SyncTask; readonly step: SyncStep };
    }
  /** The namespace itself comes from another Application. */
  | { readonly type: 'namespace-from-companion'; readonly namespace: string; readonly companion: string };

export interface SyncPlay {
  readonly plan: SyncPlan;
  readonly problems: readonly SyncProblem[];
}

/**
 * Plays the first sync of `application`. `companions` are the other Applications deploying into its namespace;
 * `external` the objects that exist before any sync.
 */
export function playSync(application: Application, companions: readonly CompanionApplication[], external: ExternalObjects): SyncPlay {
  const plan = planSync(orderedSyncTasks(application.objects, application.namespace));
  const providers = providersOf(plan, companions, external);
  const problems: SyncProblem[] = [];
  // What the sync has proven to exist: the pods of a completed hook, or of a resource found healthy, ran with it.
  const proven = new Set<string>();
  const eventualWaits = new Set<string>();

  for (const step of plan.steps) {
    const provenByStep: string[] = [];
    for (const consumer of step.tasks) {
      const template = podsStartedBy(consumer.object);
      if (template === undefined) continue;
      const waitedFor = consumer.hook || step.awaitsResources;
      for (const reference of podReferences(template)) {
        const key = keyOf(reference.kind, reference.name);
        const need: Need = { consumer, step, reference };
        const own = providers.own(reference.kind, reference.name).filter((provider) => provider.task !== consumer);
        if (own.length > 0) {
          const inTime = own.find((provider) => provider.step.index <= step.index);
          if (inTime === undefined) {
            if (waitedFor) problems.push({ ...need, type: 'late', provider: own[0]! });
          } else if (!consumer.hook && template.longRunning && own.every(isDeletedAfterSync)) {
            problems.push({ ...need, type: 'deleted-after-sync', provider: inTime });
          }
        } else {
          // A companion's object wins over an external declaration: dynenv.yaml's list holds for every environment
          // (the platform provides `<svc>-database` outside previews; in a preview the fence's Job creates it).
          const companion = providers.companion(reference.kind, reference.name);
          if (companion !== undefined) {
            // Once per object the consumer needs: three keys of one Secret are one wait.
            const wait = `${step.index}/${consumer.object.kind}/${consumer.object.metadata?.name}/${key}`;
            if (waitedFor && !proven.has(key) && !eventualWaits.has(wait)) problems.push({ ...need, type: 'eventual', provider: companion });
            eventualWaits.add(wait);
          } else if (!providers.inCluster(reference.kind, reference.name)) {
            problems.push({ ...need, type: 'missing' });
          }
        }
        if (waitedFor) provenByStep.push(key);
      }
    }
    for (const key of provenByStep) proven.add(key);
  }
  problems.push(...claimsBeforeConsumers(plan));
  const namespace = application.namespace;
  if (namespace !== undefined && !application.objects.some((object) => isNamespace(object, namespace))) {
    const companion = companions.find((candidate) => candidate.objects.some((object) => isNamespace(object, namespace)));
    if (companion) problems.push({ type: 'namespace-from-companion', namespace, companion: companion.name });
  }
  return { plan, problems };
}

/**
 * The pod template of an object whose pods start as soon as it is applied: not a CronJob (its pods start on its
 * schedule), not a workload scaled to zero or a suspended Job.
 */
export function podsStartedBy(object: KubernetesObject): PodTemplate | undefined {
  const template = podTemplateOf(object);
  if (template === undefined || isKind(object, 'batch', 'CronJob')) return undefined;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (spec?.replicas === 0 || spec?.suspend === true) return undefined;
  return template;
}

/** A hook object that Argo CD deletes when the sync succeeds (hook-delete-policy HookSucceeded). */
function isDeletedAfterSync(provider: OwnProvider): boolean {
  return provider.how === 'applies' && provider.task.hook && hookDeletePolicies(provider.task.object).includes('HookSucceeded');
}

function isNamespace(object: KubernetesObject, name: string): boolean {
  return isKind(object, '', 'Namespace') && object.metadata?.name === name;
}

/**
 * Standalone claims in a step the sync waits on, with no pod using them in that step or before: Argo CD counts a
 * Pending claim as Progressing, and a claim of a WaitForFirstConsumer StorageClass stays Pending until a pod uses
 * it (argoproj/argo-cd#29201), so the sync never reaches that pod.
 */
function claimsBeforeConsumers(plan: SyncPlan): SyncProblem[] {
  const problems: SyncProblem[] = [];
  const consumers = plan.steps.flatMap((step) =>
    step.tasks.flatMap((task) => {
      const template = podsStartedBy(task.object);
      const claims = template ? podReferences(template).filter((reference) => reference.kind === 'PersistentVolumeClaim') : [];
      return claims.map((claim) => ({ claim: claim.name, task, step }));
    }),
  );
  for (const step of plan.steps) {
    if (!step.awaitsResources) continue;
    for (const claim of step.tasks.filter((task) => !task.hook && isKind(task.object, '', 'PersistentVolumeClaim'))) {
      const users = consumers.filter((consumer) => consumer.claim === claim.object.metadata.name);
      if (users.some((user) => user.step.index <= step.index)) continue;
      const first = users[0];
      problems.push({ type: 'claim-before-consumer', claim, step, ...(first && { firstConsumer: { task: first.task, step: first.step } }) });
    }
  }
  return problems;
}
