/** The pod template of a service: its containers, volumes, identity, security and scheduling. */
import * as kplus from 'cdk8s-plus-28';
import type { EnvValue } from '../config/env-schema.ts';
import type { SchedulingConfig } from '../config/scheduling-schema.ts';
import type { Resources, ServiceConfig } from '../config/schema.ts';
import { initContainers, mainContainer } from './workload-containers.ts';
import { podSecurityContext, resolveSecurity } from './workload-security.ts';
import { podVolumes } from './workload-volumes.ts';

/** Pod template annotation holding a hash of the files of the service's `files` volumes, so a changed file rolls the pods. */
export const FILES_HASH_ANNOTATION = 'dynenv.io/files-hash';

export interface PodTemplateOptions {
  readonly selector: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, EnvValue>>;
  readonly resources: Resources;
  /** Where the pods may run. @default anywhere */
  readonly scheduling?: SchedulingConfig;
  /** Hash of the generated files, when the service has `files` volumes. @default none */
  readonly filesHash?: string;
  /** A CronJob's pods restart on failure or not. @default none (a Deployment's or StatefulSet's: always) */
  readonly restartPolicy?: 'OnFailure' | 'Never';
}

export function podTemplate(service: ServiceConfig, options: PodTemplateOptions): kplus.k8s.PodTemplateSpec {
  const security = resolveSecurity(service.securityContext);
  const annotations = { ...service.podAnnotations, ...(options.filesHash !== undefined && { [FILES_HASH_ANNOTATION]: options.filesHash }) };
  const init = initContainers(service.initContainers, security);
  return {
    metadata: {
      labels: { ...service.podLabels, ...options.selector },
      ...(Object.keys(annotations).length > 0 && { annotations }),
    },
    spec: {
      serviceAccountName: service.name,
      automountServiceAccountToken: service.serviceAccount?.automountToken ?? false,
      ...(service.terminationGracePeriodSeconds !== undefined && { terminationGracePeriodSeconds: service.terminationGracePeriodSeconds }),
      ...(options.restartPolicy !== undefined && { restartPolicy: options.restartPolicy }),
      securityContext: podSecurityContext(security),
      ...(init.length > 0 && { initContainers: init }),
      containers: [mainContainer(service, { env: options.env, resources: options.resources, security })],
      volumes: podVolumes(service.name, service.volumes),
      ...schedulingFields(options.scheduling ?? {}, options.selector),
    },
  };
}

/** The pod spec fields of a scheduling setting; spread constraints select the service's own pods. */
export function schedulingFields(scheduling: SchedulingConfig, selector: Readonly<Record<string, string>>): Partial<kplus.k8s.PodSpec> {
  return {
    ...(scheduling.nodeSelector && { nodeSelector: { ...scheduling.nodeSelector } }),
    ...(scheduling.tolerations && { tolerations: scheduling.tolerations.map((toleration) => ({ ...toleration })) }),
    ...(scheduling.affinity && { affinity: scheduling.affinity as kplus.k8s.Affinity }),
    ...(scheduling.topologySpreadConstraints && {
      topologySpreadConstraints: scheduling.topologySpreadConstraints.map((constraint) => ({
        ...constraint,
        labelSelector: { matchLabels: { ...selector } },
      })),
    }),
  };
}
