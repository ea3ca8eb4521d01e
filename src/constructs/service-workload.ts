import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { EnvValue } from '../config/env-schema.ts';
import { resolveProbes } from '../config/resolve-probes.ts';
import { servicePorts } from '../config/resolve-ports.ts';
import type { ResolvedStorage } from '../config/resolve.ts';
import type { Resources, ServiceConfig } from '../config/schema.ts';
import type { SchedulingConfig } from '../config/scheduling-schema.ts';
import { IGNORE_CHECK_ANNOTATION_PREFIX, selectorLabels, serviceLabels } from './labels.ts';
import { configMapName, literalEnv } from './workload-env.ts';
import { podTemplate } from './workload-pod.ts';
import { WorkloadService } from './workload-service.ts';
import { filesConfigMapName, filesHash, volumeClaimTemplates } from './workload-volumes.ts';

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
  /** Environment variables: literals through the service's ConfigMap, references in `env:`. @default the service's `env` */
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
    const env = props.env ?? service.env;

    this.serviceAccount = new kplus.k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: service.name, labels, ...(service.serviceAccount?.annotations && { annotations: { ...service.serviceAccount.annotations } }) },
      // The application does not talk to the Kubernetes API unless it says so; a mounted token would only be something to steal.
      automountServiceAccountToken: service.serviceAccount?.automountToken ?? false,
    });
    this.configMap = new kplus.k8s.KubeConfigMap(this, 'ConfigMap', { metadata: { name: configMapName(service.name), labels }, data: literalEnv(env) });
    const files = this.fileConfigMaps(service, labels, props.files);

    const template = podTemplate(service, {
      selector,
      env,
      resources: props.resources ?? service.resources,
      scheduling: props.scheduling,
      ...(files.size > 0 && { filesHash: filesHash(files) }),
      ...(service.kind === 'CronJob' && { restartPolicy: service.job?.restartPolicy ?? 'OnFailure' }),
    });
    const noReadiness = service.kind !== 'CronJob' && resolveProbes(service, ports).noReadiness;
    const metadata = {
      name: service.name,
      labels,
      ...(noReadiness && { annotations: { [`${IGNORE_CHECK_ANNOTATION_PREFIX}readiness-probe`]: NO_READINESS_REASON } }),
    };
    const replicas = props.replicas ?? 1;
    const storage = props.storage ?? ownStorage(service);

    if (service.kind === 'CronJob') {
      const job = service.job;
      this.workload = new kplus.k8s.KubeCronJob(this, 'CronJob', {
        metadata,
        spec: {
          schedule: service.schedule!,
          ...(job?.timeZone !== undefined && { timeZone: job.timeZone }),
          concurrencyPolicy: job?.concurrencyPolicy ?? 'Forbid',
          ...(job?.startingDeadlineSeconds !== undefined && { startingDeadlineSeconds: job.startingDeadlineSeconds }),
          ...(job?.successfulJobsHistoryLimit !== undefined && { successfulJobsHistoryLimit: job.successfulJobsHistoryLimit }),
          ...(job?.failedJobsHistoryLimit !== undefined && { failedJobsHistoryLimit: job.failedJobsHistoryLimit }),
          jobTemplate: {
            metadata: { labels },
            spec: {
              ...(job?.backoffLimit !== undefined && { backoffLimit: job.backoffLimit }),
              ...(job?.activeDeadlineSeconds !== undefined && { activeDeadlineSeconds: job.activeDeadlineSeconds }),
              template,
            },
          },
        },
      });
    } else if (service.kind === 'StatefulSet') {
      // The governing Service is headless: each pod keeps its own DNS name (<pod>.<service>), which is what a StatefulSet is for.
      this.service = new WorkloadService(this, 'Service', { name: service.name, labels, selector, ports, headless: true });
      this.workload = new kplus.k8s.KubeStatefulSet(this, 'StatefulSet', {
        metadata,
        spec: {
          serviceName: service.name,
          replicas,
          selector: { matchLabels: selector },
          template,
          ...(Object.keys(storage).length > 0 && { volumeClaimTemplates: volumeClaimTemplates(storage) }),
        },
      });
    } else {
      if (ports.length > 0) this.service = new WorkloadService(this, 'Service', { name: service.name, labels, selector, ports });
      this.workload = new kplus.k8s.KubeDeployment(this, 'Deployment', {
        metadata,
        spec: { replicas, selector: { matchLabels: selector }, template },
      });
    }
  }

  private fileConfigMaps(service: ServiceConfig, labels: Record<string, string>, repository: ReadonlyMap<string, string> | undefined) {
    const all = new Map<string, string>();
    for (const volume of service.volumes) {
      if (!volume.files) continue;
      const data: Record<string, string> = {};
      for (const [key, path] of Object.entries(volume.files)) {
        const text = repository?.get(path);
        if (text === undefined) throw new Error(`unloaded repository file ${path} (services.${service.name}.volumes.${volume.name})`);
        data[key] = text;
        all.set(`${volume.name}/${key}`, text);
      }
      new kplus.k8s.KubeConfigMap(this, `Files-${volume.name}`, { metadata: { name: filesConfigMapName(service.name, volume.name), labels }, data });
    }
    return all;
  }
}

/** The persistent volumes of a service with their own size and StorageClass (the base's; environments patch theirs). */
export function ownStorage(service: ServiceConfig): Record<string, ResolvedStorage> {
  return Object.fromEntries(
    service.volumes.flatMap((volume) =>
      volume.persistent
        ? [[volume.name, { size: volume.persistent.size, accessModes: volume.persistent.accessModes, ...(volume.persistent.storageClass && { storageClass: volume.persistent.storageClass }) }]]
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
