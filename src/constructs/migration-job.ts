import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { JobCommand, Resources } from '../config/schema.ts';
import { SYNC_WAVES, syncHook } from './argocd-sync.ts';
import { pullPolicy } from './image-pull-policy.ts';
import { DYNENV_LABEL, serviceLabels } from './labels.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, resourceQuantities, restrictedPodSecurity } from './pod-security.ts';
import { RUN_AS_USER, configMapName } from './service-workload.ts';

export interface MigrationJobProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Service whose image and ServiceAccount the Job uses. */
  readonly service: string;
  /** The service's image repository; the overlay's `images:` entry pins it like the service's. */
  readonly image: string;
  /** Schema migrations. @default none */
  readonly migrate?: JobCommand;
  /** Seed data, run after the migrations. @default none */
  readonly seed?: JobCommand;
  /** Requests and limits (the service's in this environment). */
  readonly resources: Resources;
  /** Secrets and ConfigMaps besides the service's own ConfigMap, read through envFrom. @default none */
  readonly envFrom?: readonly kplus.k8s.EnvFromSource[];
  /** The environment runs the image by digest: pull it only when the node lacks it (image-pull-policy.ts). @default false */
  readonly pinnedByDigest?: boolean;
}

/** The Job's name. */
export function migrationJobName(service: string): string {
  return `${service}-migrate`;
}

/**
 * Migrations, then seed data, for one service: a Sync hook in the wave after the database, so Argo CD runs it
 * on every sync (each new commit) and rolls the services only once it succeeded. Migrations run as init
 * container, so a failed migration never seeds.
 */
export class MigrationJob extends Construct {
  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const steps = [
      ...(props.migrate ? [{ name: 'migrate', step: props.migrate }] : []),
      ...(props.seed ? [{ name: 'seed', step: props.seed }] : []),
    ];
    const last = steps.pop();
    if (last === undefined) throw new Error(`MigrationJob for ${props.service}: neither migrate nor seed`);
    const container = ({ name, step }: { name: string; step: JobCommand }): kplus.k8s.Container => ({
      name,
      image: props.image,
      ...pullPolicy(props.pinnedByDigest ?? false),
      command: [...step.command],
      ...(step.args && { args: [...step.args] }),
      envFrom: [{ configMapRef: { name: configMapName(props.service) } }, ...(props.envFrom ?? [])],
      resources: resourceQuantities(props.resources),
      securityContext: RESTRICTED_CONTAINER_SECURITY,
      volumeMounts: [TMP_MOUNT],
    });
    const component = { [DYNENV_LABEL.component]: 'migration' };
    // The service's name, without `part-of`: the service's egress policies select the Job's pods, its Service does not.
    const podLabels = { 'app.kubernetes.io/name': props.service, ...component };
    new kplus.k8s.KubeJob(this, 'Job', {
      metadata: {
        name: migrationJobName(props.service),
        labels: { ...serviceLabels(props.app, props.service), ...component },
        // Migrations must converge when re-run (README); seed data need not, so a Job that seeds is not declared so.
        annotations: syncHook(SYNC_WAVES.migration, { idempotent: props.seed === undefined }),
      },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels: podLabels },
          spec: {
            serviceAccountName: props.service,
            automountServiceAccountToken: false,
            restartPolicy: 'Never',
            securityContext: restrictedPodSecurity(RUN_AS_USER),
            ...(steps.length > 0 && { initContainers: steps.map(container) }),
            containers: [container(last)],
            volumes: [TMP_VOLUME],
          },
        },
      },
    });
  }
}
