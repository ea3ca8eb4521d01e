/**
 * The object that runs a service's pods, one per kind: a CronJob, a StatefulSet or a Deployment. The ServiceWorkload
 * gives each the same metadata, selector and pod template.
 */
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ResolvedStorage } from '../config/resolve.ts';
import type { ServiceConfig } from '../config/schema.ts';
import { mainContainerLifecycle } from './workload-pod.ts';
import { volumeClaimTemplates } from './workload-volumes.ts';

export interface WorkloadControllerProps {
  /** The service as declared in dynenv.yaml. */
  readonly service: ServiceConfig;
  /** The object's name, labels and annotations. */
  readonly metadata: ApiObjectMetadata;
  /** The service's labels, also on a CronJob's Jobs. */
  readonly labels: Readonly<Record<string, string>>;
  /** The labels that select the service's pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** The pods it runs. */
  readonly template: kplus.k8s.PodTemplateSpec;
}

export interface ReplicatedControllerProps extends WorkloadControllerProps {
  /** Number of pods. */
  readonly replicas: number;
}

export interface StatefulSetControllerProps extends ReplicatedControllerProps {
  /** The persistent volumes each pod claims, with size and StorageClass. */
  readonly storage: Readonly<Record<string, ResolvedStorage>>;
}

/** A CronJob on the service's schedule; what dynenv.yaml leaves unset of `job:` stays Kubernetes' default, but concurrency: Forbid. */
export function cronJobController(scope: Construct, props: WorkloadControllerProps): ApiObject {
  const { service, metadata, labels, template } = props;
  const job = service.job;
  return new kplus.k8s.KubeCronJob(scope, 'CronJob', {
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
}

/** A StatefulSet governed by the service's (headless) Service, with a claim per persistent volume. */
export function statefulSetController(scope: Construct, props: StatefulSetControllerProps): ApiObject {
  const { service, metadata, selector, template, replicas, storage } = props;
  return plainWorkload(
    scope,
    'StatefulSet',
    service,
    kplus.k8s.KubeStatefulSet.manifest({
      metadata,
      spec: {
        serviceName: service.name,
        replicas,
        selector: { matchLabels: selector },
        template,
        ...(Object.keys(storage).length > 0 && { volumeClaimTemplates: volumeClaimTemplates(storage) }),
      },
    }),
  );
}

/** A Deployment of the service's pods. */
export function deploymentController(scope: Construct, props: ReplicatedControllerProps): ApiObject {
  const { service, metadata, selector, template, replicas } = props;
  return plainWorkload(
    scope,
    'Deployment',
    service,
    kplus.k8s.KubeDeployment.manifest({ metadata, spec: { replicas, selector: { matchLabels: selector }, template } }),
  );
}

/**
 * A Deployment or StatefulSet converted by cdk8s' typed object, then held as a plain ApiObject with the main
 * container's lifecycle added: the typed objects filter their JSON through cdk8s-plus-28's types (even after
 * patches), which predate `lifecycle.preStop.sleep`.
 */
function plainWorkload(
  scope: Construct,
  id: string,
  service: ServiceConfig,
  manifest: { apiVersion: string; kind: string; metadata: ApiObjectMetadata; spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } },
): ApiObject {
  const lifecycle = mainContainerLifecycle(service);
  if (lifecycle) {
    // The main container is the pod's only one (workload-pod.ts): init containers and sidecars are initContainers.
    const [main, ...others] = manifest.spec.template.spec.containers;
    manifest.spec.template.spec.containers = [{ ...main, lifecycle }, ...others];
  }
  return new ApiObject(scope, id, manifest);
}
