import { createHash } from 'node:crypto';
import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedService } from '../config/resolve.ts';
import { selectorLabels } from './labels.ts';
import { KustomizePatch } from './kustomize-patch.ts';
import { containerResources } from './service-workload.ts';
import { configMapName, envFromSources, literalEnv, referencedEnv } from './workload-env.ts';
import { schedulingFields } from './workload-pod.ts';
import { claimTemplates } from './workload-volumes.ts';

/** Pod template annotation holding a hash of the service's environment variables. */
export const CONFIG_HASH_ANNOTATION = 'dynenv.io/config-hash';

export interface WorkloadPatchProps {
  /** Application name, for the selector of spread constraints. */
  readonly app: string;
  /** The service as resolved for the environment the patch belongs to. */
  readonly resolved: ResolvedService;
  /**
   * A HorizontalPodAutoscaler owns the replica count: the patch removes `replicas` from the workload so that
   * Argo CD's self-heal does not undo the autoscaler. @default false
   */
  readonly autoscaled?: boolean;
  /** Secrets and ConfigMaps the container reads besides its own ConfigMap (database, preview identity). @default none */
  readonly envFrom?: readonly EnvFromReference[];
}

/** One more `envFrom` source of the service's container. */
export interface EnvFromReference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
}

/** The API version of each workload kind. */
const API_VERSIONS = { Deployment: 'apps/v1', StatefulSet: 'apps/v1', CronJob: 'batch/v1' } as const;

/**
 * What one environment changes in a service of the base: replicas and resources, where the pods run, the size and
 * StorageClass of a StatefulSet's claims, a CronJob's schedule, and the environment variables (literals in its
 * ConfigMap, references in the container's `env:`). A hash of the literals goes on the pod template, so that
 * changing LOG_LEVEL in dynenv.yaml rolls the pods (a ConfigMap change alone would not).
 */
export class WorkloadPatch extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadPatchProps) {
    super(scope, id);
    const { service, replicas, env, resources } = props.resolved;
    const literals = literalEnv(env);
    const references = referencedEnv(env);
    // envFrom has no merge key: a strategic-merge patch replaces the list, so it repeats the base's entries.
    const envFrom = props.envFrom?.length
      ? {
          envFrom: [
            ...envFromSources(service.envFrom),
            { configMapRef: { name: configMapName(service.name) } },
            ...props.envFrom.map((source) => (source.kind === 'Secret' ? { secretRef: { name: source.name } } : { configMapRef: { name: source.name } })),
          ],
        }
      : {};
    const template = {
      metadata: { annotations: { [CONFIG_HASH_ANNOTATION]: configHash(literals) } },
      spec: {
        ...schedulingFields(props.resolved.scheduling, selectorLabels(props.app, service.name)),
        containers: [{ name: service.name, ...(references.length > 0 && { env: references }), ...envFrom, resources: containerResources(resources) }],
      },
    };
    const storage = props.resolved.storage;
    const spec =
      service.kind === 'CronJob'
        ? { schedule: props.resolved.schedule, suspend: props.resolved.suspend, jobTemplate: { spec: { template } } }
        : {
            ...(!props.autoscaled && { replicas }),
            template,
            // volumeClaimTemplates has no merge key either: the patch gives the whole list, with this environment's sizes.
            ...(Object.keys(storage).length > 0 && { volumeClaimTemplates: claimTemplates(storage) }),
          };

    const workload = new KustomizePatch(this, service.kind, { apiVersion: API_VERSIONS[service.kind], kind: service.kind, name: service.name, body: { spec } });
    // null deletes the field in a strategic-merge patch; cdk8s drops nulls from props, not from JSON patches.
    if (props.autoscaled) workload.addJsonPatch(JsonPatch.add('/spec/replicas', null));
    new KustomizePatch(this, 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', name: configMapName(service.name), body: { data: literals } });
  }
}

/** First 16 hex digits of the SHA-256 of the variables (sorted, so the order in dynenv.yaml does not matter). */
export function configHash(env: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
