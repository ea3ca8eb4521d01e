/**
 * Which objects of the namespace the workloads refer to, and how: ConfigMaps mounted or read as env (to decide
 * what becomes repository files or literals), and Secrets, ConfigMaps and ServiceAccounts that must exist in each
 * environment without being in gitops/ (`external` in dynenv.yaml, so that `validate` accepts them).
 */
import type { Manifest } from './manifests.ts';
import type { Json } from './json.ts';

export interface ReferencedObjects {
  /** ConfigMap name → workloads that mount it. */
  readonly configMapVolumes: Map<string, Set<Manifest>>;
  /** ConfigMap name → workloads that read it as env (a key, or all of it). */
  readonly configMapEnv: Map<string, Set<Manifest>>;
  readonly configMaps: Set<string>;
  readonly secrets: Set<string>;
  readonly serviceAccounts: Set<string>;
}

export function referencedObjects(workloads: readonly Manifest[]): ReferencedObjects {
  const found: ReferencedObjects = {
    configMapVolumes: new Map(),
    configMapEnv: new Map(),
    configMaps: new Set(),
    secrets: new Set(),
    serviceAccounts: new Set(),
  };
  const add = (map: Map<string, Set<Manifest>>, name: string, workload: Manifest) => {
    if (!map.has(name)) map.set(name, new Set());
    map.get(name)!.add(workload);
    found.configMaps.add(name);
  };
  for (const workload of workloads) {
    const spec = workload.body.spec ?? {};
    const pod: Json = (workload.kind === 'CronJob' ? spec.jobTemplate?.spec?.template?.spec : spec.template?.spec) ?? {};
    for (const volume of (pod.volumes ?? []) as Json[]) {
      if (volume.configMap?.name) add(found.configMapVolumes, volume.configMap.name, workload);
      if (volume.secret?.secretName) found.secrets.add(volume.secret.secretName);
      for (const source of (volume.projected?.sources ?? []) as Json[]) {
        if (source.configMap?.name) add(found.configMapVolumes, source.configMap.name, workload);
        if (source.secret?.name) found.secrets.add(source.secret.name);
      }
    }
    for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])] as Json[]) {
      for (const source of (container.envFrom ?? []) as Json[]) {
        if (source.configMapRef?.name) add(found.configMapEnv, source.configMapRef.name, workload);
        if (source.secretRef?.name) found.secrets.add(source.secretRef.name);
      }
      for (const variable of (container.env ?? []) as Json[]) {
        const from = variable.valueFrom ?? {};
        if (from.configMapKeyRef?.name) add(found.configMapEnv, from.configMapKeyRef.name, workload);
        if (from.secretKeyRef?.name) found.secrets.add(from.secretKeyRef.name);
      }
    }
    for (const secret of (pod.imagePullSecrets ?? []) as Json[]) if (secret.name) found.secrets.add(secret.name);
    const account = pod.serviceAccountName ?? pod.serviceAccount;
    if (account && account !== workload.name) found.serviceAccounts.add(account);
  }
  return found;
}
