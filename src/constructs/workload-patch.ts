import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import type { ResolvedService } from '../config/resolve.ts';
import { KustomizePatch } from './kustomize-patch.ts';
import { configMapName, containerResources } from './service-workload.ts';

/** Pod template annotation holding a hash of the service's environment variables. */
export const CONFIG_HASH_ANNOTATION = 'dynenv.io/config-hash';

export interface WorkloadPatchProps {
  /** The service as resolved for the environment the patch belongs to. */
  readonly resolved: ResolvedService;
}

/**
 * What one environment changes in a service of the base: replicas and resources of the Deployment, and the
 * environment variables in its ConfigMap. A hash of those variables goes on the pod template, so that changing
 * LOG_LEVEL in dynenv.yaml rolls the pods (a ConfigMap change alone would not).
 */
export class WorkloadPatch extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadPatchProps) {
    super(scope, id);
    const { service, replicas, env, resources } = props.resolved;

    new KustomizePatch(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: service.name,
      body: {
        spec: {
          replicas,
          template: {
            metadata: { annotations: { [CONFIG_HASH_ANNOTATION]: configHash(env) } },
            spec: { containers: [{ name: service.name, resources: containerResources(resources) }] },
          },
        },
      },
    });
    new KustomizePatch(this, 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', name: configMapName(service.name), body: { data: { ...env } } });
  }
}

/** First 16 hex digits of the SHA-256 of the variables (sorted, so the order in dynenv.yaml does not matter). */
export function configHash(env: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
