/**
 * What a pod does while something it needs is missing, and how long the sync then waits for the object that runs
 * it: the words `dynenv validate` uses to say what a user would see in the cluster.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { isKind } from '../kinds.ts';
import { valueAt } from '../object-access.ts';
import type { PodReference } from '../pod-references.ts';

/** Kubernetes' default `progressDeadlineSeconds` of a Deployment. */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** How the pod uses the object: `runs as ServiceAccount "api"`, `reads ConfigMap "api-config"`. */
export function usesText(reference: PodReference): string {
  const object = `${reference.kind} "${reference.name}"`;
  switch (reference.use) {
    case 'serviceAccountName':
      return `runs as ${object}`;
    case 'volume':
      return `mounts ${object}`;
    case 'imagePullSecrets':
      return `pulls its images with ${object}`;
    default:
      return `reads ${object}`;
  }
}

/** What its pods do without the object: `are refused (serviceaccount "api" not found)`. */
export function withoutText(reference: PodReference): string {
  if (reference.kind === 'ServiceAccount') return `are refused (serviceaccount "${reference.name}" not found)`;
  if (reference.kind === 'PersistentVolumeClaim') return `stay Pending (persistentvolumeclaim "${reference.name}" not found)`;
  if (reference.use === 'imagePullSecrets') return 'pull without those credentials (ErrImagePull from a private registry)';
  if (reference.use === 'volume') return 'wait in ContainerCreating (the volume cannot be mounted)';
  return 'wait in CreateContainerConfigError';
}

/** The deadline after which an object the sync waits on gives up, and what then happens. */
interface Deadline {
  readonly field: 'activeDeadlineSeconds' | 'progressDeadlineSeconds';
  readonly seconds: number;
  /** What passing it does: `fails the Job, and with it the sync`. */
  readonly fails: string;
  /** The same, said of the object: `the Job fails, and with it the sync`. */
  readonly failed: string;
}

function deadlineOf(object: KubernetesObject): Deadline | undefined {
  if (isKind(object, 'batch', 'Job') || isKind(object, '', 'Pod')) {
    const seconds = activeDeadline(object);
    if (seconds === undefined) return undefined;
    return {
      field: 'activeDeadlineSeconds',
      seconds,
      fails: `fails the ${object.kind}, and with it the sync`,
      failed: `the ${object.kind} fails, and with it the sync`,
    };
  }
  if (isKind(object, 'apps', 'Deployment')) {
    const deadline = valueAt(object, ['spec', 'progressDeadlineSeconds']);
    const seconds = typeof deadline === 'number' ? deadline : DEFAULT_PROGRESS_DEADLINE_SECONDS;
    return {
      field: 'progressDeadlineSeconds',
      seconds,
      fails: 'makes the Deployment Degraded, and the sync fails',
      failed: 'the Deployment is Degraded and the sync fails',
    };
  }
  return undefined;
}

/**
 * How a sync that waits on `object` ends while its pods cannot run: `until activeDeadlineSeconds (900 s) fails
 * the Job, and with it the sync`, or `and the sync waits forever`.
 */
export function endsText(object: KubernetesObject): string {
  const deadline = deadlineOf(object);
  if (deadline === undefined) return 'and the sync waits forever';
  return `until ${deadline.field} (${deadline.seconds} s) ${deadline.fails}`;
}

/** The same, when what the pods wait for will come, at a time nobody knows: `if that takes longer than ...`. */
export function endsIfLateText(object: KubernetesObject): string {
  const deadline = deadlineOf(object);
  if (deadline === undefined) return 'and the sync waits with them';
  return `and if that takes longer than ${deadline.field} (${deadline.seconds} s), ${deadline.failed}`;
}

/** The deadline of a Job or Pod (`spec.activeDeadlineSeconds`), if it has one. */
export function activeDeadline(object: KubernetesObject): number | undefined {
  const deadline = valueAt(object, ['spec', 'activeDeadlineSeconds']);
  return typeof deadline === 'number' ? deadline : undefined;
}
