import type { ApiObject, ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { serviceEnv } from '../config/default-env.ts';
import type { EnvValue } from '../config/env-schema.ts';
import { resolveProbes } from '../config/resolve-probes.ts';
import { type ResolvedPort, servicePorts } from '../config/resolve-ports.ts';
import type { ResolvedStorage } from '../config/resolve.ts';
import type { Resources, ServiceConfig } from '../config/schema.ts';
import type { SchedulingConfig } from '../config/scheduling-schema.ts';
import { setConfigMapData } from './config-map-data.ts';
import { addFilesConfigMaps } from './files-config-maps.ts';
import { IGNORE_CHECK_ANNOTATION_PREFIX, selectorLabels, serviceLabels } from './labels.ts';
import { cronJobController, deploymentController, statefulSetController } from './workload-controllers.ts';
import { configMapName, literalEnv } from './workload-env.ts';
import { podTemplate } from './workload-pod.ts';
import { WorkloadService } from './workload-service.ts';
import { filesHash } from './workload-volumes.ts';

export { configMapName } from './workload-env.ts';
export { RUN_AS_USER } from './workload-security.ts';

export interface ServiceWorkloadProps {
  /** Application the service belongs to; becomes the `app.kubernetes.io/part-of` label. */
  readonly app: string;
  /** The service as declared in dynenv.yaml. */
  readonly service: ServiceConfig;
  /** Number of pods (not for a CronJob). @default 1 */
  readonly replicas?: number;
  /** Requests and limits of the main container. @default the service's `resources` */
  readonly resources?: Resources;
  /** Environment variables: literals through the service's ConfigMap, references in `env:`. @default the service's `env` over HOME=/tmp */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Where the pods may run. @default anywhere (the overlays set each environment's) */
  readonly scheduling?: SchedulingConfig;
  /** The persistent volumes of a StatefulSet, with size and StorageClass. @default each volume's own */
  readonly storage?: Readonly<Record<string, ResolvedStorage>>;
  /** Text of the repository files its `files` volumes name, by path relative to dynenv.yaml. @default none */
  readonly files?: ReadonlyMap<string, string>;
}

/** Annotation value on a workload whose service declares it serves no traffic (`probes.readiness: false`). */
export const NO_READINESS_REASON = 'dynenv.yaml: probes.readiness: false (the service serves no traffic)';

/**
 * One service of the application: its workload (a Deployment, a StatefulSet behind a headless Service, or a
 * CronJob), its ServiceAccount, a ConfigMap of literal environment variables, a ConfigMap per `files` volume and,
 * when it has ports, a ClusterIP Service exposing all of them. Every object has an explicit, stable name (the
 * service's) and explicit `app.kubernetes.io/*` selector labels. Pods run as non-root with a read-only root file
 * system, no privilege escalation, all capabilities dropped and the RuntimeDefault seccomp profile (the
 * "restricted" Pod Security Standard) unless the service's `securityContext` relaxes one, with the probes it
 * declares or derives.
 *
 * The objects are cdk8s' typed Kubernetes objects, not cdk8s-plus constructs: they hold exactly what dynenv.yaml
 * says and the hardening listed here, no library defaults.
 */
export class ServiceWorkload extends Construct {
  readonly workload: ApiObject;
  readonly serviceAccount: kplus.k8s.KubeServiceAccount;
  readonly configMap: kplus.k8s.KubeConfigMap;
  /** Undefined for a Deployment without ports (a worker) and a CronJob. */
  readonly service?: WorkloadService;

  constructor(scope: Construct, id: string, props: ServiceWorkloadProps) {
    super(scope, id);
    const { app, service } = props;
    const labels = serviceLabels(app, service.name);
    const selector = selectorLabels(app, service.name);
    const ports = servicePorts(service);
    const env = props.env ?? serviceEnv(service);

    this.serviceAccount = serviceAccount(this, service, labels);
    this.configMap = literalEnvConfigMap(this, service.name, labels, env);
    const files = addFilesConfigMaps(this, service, labels, props.files);
    const template = podTemplate(service, {
      selector,
      env,
      resources: props.resources ?? service.resources,
      scheduling: props.scheduling,
      ...(files.size > 0 && { filesHash: filesHash(files) }),
      ...(service.kind === 'CronJob' && { restartPolicy: service.job?.restartPolicy ?? 'OnFailure' }),
    });
    const controller = { service, metadata: workloadMetadata(service, labels, ports), labels, selector, template };
    const replicas = props.replicas ?? 1;

    if (service.kind === 'CronJob') {
      this.workload = cronJobController(this, controller);
    } else if (service.kind === 'StatefulSet') {
      // The governing Service is headless: each pod keeps its own DNS name (<pod>.<service>), which is what a StatefulSet is for.
      this.service = new WorkloadService(this, 'Service', { name: service.name, labels, selector, ports, headless: true });
      this.workload = statefulSetController(this, { ...controller, replicas, storage: props.storage ?? ownStorage(service) });
    } else {
      if (ports.length > 0) this.service = new WorkloadService(this, 'Service', { name: service.name, labels, selector, ports });
      this.workload = deploymentController(this, { ...controller, replicas });
    }
  }
}

function serviceAccount(scope: Construct, service: ServiceConfig, labels: Record<string, string>): kplus.k8s.KubeServiceAccount {
  return new kplus.k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: { name: service.name, labels, ...(service.serviceAccount?.annotations && { annotations: { ...service.serviceAccount.annotations } }) },
    // The application does not talk to the Kubernetes API unless it says so; a mounted token would only be something to steal.
    automountServiceAccountToken: service.serviceAccount?.automountToken ?? false,
  });
}

/** The ConfigMap of the service's literal environment variables (references stay in the container's `env:`). */
function literalEnvConfigMap(
  scope: Construct,
  service: string,
  labels: Record<string, string>,
  env: Readonly<Record<string, EnvValue>>,
): kplus.k8s.KubeConfigMap {
  const configMap = new kplus.k8s.KubeConfigMap(scope, 'ConfigMap', { metadata: { name: configMapName(service), labels }, data: {} });
  // Through a JSON patch: cdk8s cannot render a map with a key such as "constructor" (config-map-data.ts).
  setConfigMapData(configMap, literalEnv(env));
  return configMap;
}

/** The workload's name and labels, and the note to `dynenv validate` on a service that declares it serves no traffic. */
function workloadMetadata(service: ServiceConfig, labels: Record<string, string>, ports: readonly ResolvedPort[]): ApiObjectMetadata {
  const noReadiness = service.kind !== 'CronJob' && resolveProbes(service, ports).noReadiness;
  return {
    name: service.name,
    labels,
    ...(noReadiness && { annotations: { [`${IGNORE_CHECK_ANNOTATION_PREFIX}readiness-probe`]: NO_READINESS_REASON } }),
  };
}

/** The persistent volumes of a service with their own size and StorageClass (the base's; environments patch theirs). */
export function ownStorage(service: ServiceConfig): Record<string, ResolvedStorage> {
  return Object.fromEntries(
    service.volumes.flatMap((volume) =>
      volume.persistent
        ? [
            [
              volume.name,
              {
                size: volume.persistent.size,
                accessModes: volume.persistent.accessModes,
                ...(volume.persistent.storageClass && { storageClass: volume.persistent.storageClass }),
              },
            ],
          ]
        : [],
    ),
  );
}

/** The container `resources` object, with only the quantities that are set. */
export function containerResources(resources: Resources): Record<string, Record<string, string>> {
  const pick = (amounts: Resources['requests']) =>
    Object.fromEntries(Object.entries(amounts).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const out: Record<string, Record<string, string>> = {};
  const requests = pick(resources.requests);
  const limits = pick(resources.limits);
  if (Object.keys(limits).length) out.limits = limits;
  if (Object.keys(requests).length) out.requests = requests;
  return out;
}
