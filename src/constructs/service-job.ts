import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { JobCommand, Resources } from '../config/schema.ts';
import { DYNENV_LABEL, serviceLabels } from './labels.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, resourceQuantities, restrictedPodSecurity } from './pod-security.ts';
import { RUN_AS_USER, configMapName } from './service-workload.ts';

/** The service a Job belongs to, and how its pods run. */
export interface ServiceJobProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Service whose image, ServiceAccount and configuration the Job uses. */
  readonly service: string;
  /** The service's image; the overlay's `images:` entry pins it like the service's. */
  readonly image: string;
  /** Requests and limits (the service's in this environment). */
  readonly resources: Resources;
  /** Secrets and ConfigMaps besides the service's own ConfigMap, read through envFrom. @default none */
  readonly envFrom?: readonly kplus.k8s.EnvFromSource[];
}

/** How long a Job's pod may run, in all, before Kubernetes stops it and the sync that waits for it fails. */
export const SERVICE_JOB_DEADLINE_SECONDS = 900;
/** How many times a failed pod is retried. */
export const SERVICE_JOB_BACKOFF_LIMIT = 2;

/**
 * A Job that runs one command of a service (`migrate`, `seed`) in the service's image, as its ServiceAccount, with
 * its configuration and the pod security of its workload. A deadline and a retry limit end it when it cannot
 * finish, so that a sync waiting for it fails rather than waits forever.
 */
export function serviceJob(
  scope: Construct,
  props: ServiceJobProps & {
    /** The Job's name. */
    readonly name: string;
    /** The container's name: `migrate`, `seed`. */
    readonly step: string;
    /** Its `dynenv.io/component` label: `migration`, `seed`. */
    readonly component: string;
    readonly command: JobCommand;
    /** Its sync annotations (argocd-sync.ts). */
    readonly annotations: Record<string, string>;
  },
): kplus.k8s.KubeJob {
  const component = { [DYNENV_LABEL.component]: props.component };
  // The service's name, without `part-of`: the service's egress policies select the Job's pods, its Service does not.
  const podLabels = { 'app.kubernetes.io/name': props.service, ...component };
  return new kplus.k8s.KubeJob(scope, 'Job', {
    metadata: { name: props.name, labels: { ...serviceLabels(props.app, props.service), ...component }, annotations: props.annotations },
    spec: {
      backoffLimit: SERVICE_JOB_BACKOFF_LIMIT,
      activeDeadlineSeconds: SERVICE_JOB_DEADLINE_SECONDS,
      template: {
        metadata: { labels: podLabels },
        spec: {
          serviceAccountName: props.service,
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          securityContext: restrictedPodSecurity(RUN_AS_USER),
          containers: [
            {
              name: props.step,
              image: props.image,
              command: [...props.command.command],
              ...(props.command.args && { args: [...props.command.args] }),
              envFrom: [{ configMapRef: { name: configMapName(props.service) } }, ...(props.envFrom ?? [])],
              resources: resourceQuantities(props.resources),
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              volumeMounts: [TMP_MOUNT],
            },
          ],
          volumes: [TMP_VOLUME],
        },
      },
    },
  });
}
