/**
 * The ResourceQuota each environment needs for the imported pods. dynenv's defaults suit a small application (a
 * preview: 2 CPUs, 4Gi, 20 pods); an imported one may ask for more at its peak (every replica plus a rolling
 * update's surge). The import writes a quota only where the default cannot hold the pods, rounded up, and keeps a
 * preview's no larger than staging's, as dynenv requires.
 */
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../config/environment-names.ts';
import { footprint } from '../config/environment-checks.ts';
import { quantityOrNaN } from '../config/quantity.ts';
import { DEFAULT_QUOTAS } from '../config/resolve-guardrails.ts';
import { enabledServices, resolveService } from '../config/resolve.ts';
import { configSchema } from '../config/config-schema.ts';
import type { Config } from '../config/schema.ts';
import type { Json } from './json.ts';

const ROOMY = { requests: { cpu: '100000', memory: '100000Gi' }, limits: { memory: '100000Gi' }, pods: 100000 };
const GIBIBYTE = 1024 ** 3;

/** The `quota` to write per environment (only those whose default is too small), with a note for each. */
export function sizeQuotas(config: Json): { quotas: Partial<Record<EnvironmentName, Json>>; notes: string[] } {
  const roomy = structuredClone(config);
  roomy.environments ??= {};
  for (const environment of ENVIRONMENT_NAMES) roomy.environments[environment] = { ...roomy.environments[environment], quota: ROOMY };
  const parsed = configSchema.safeParse(roomy);
  if (!parsed.success) return { quotas: {}, notes: [] }; // the configuration's own problems are reported when it is checked
  const quotas: Partial<Record<EnvironmentName, Json>> = {};
  const notes: string[] = [];
  const sized = (environment: EnvironmentName, floor?: Json) => {
    const need = { ...footprint(parsed.data, environment), ...claims(parsed.data, environment) };
    const defaults = DEFAULT_QUOTAS[environment];
    const cpu = Math.max(need.cpu, floor?.cpu ?? 0);
    const memory = Math.max(need.memory, floor?.memory ?? 0);
    const memoryLimit = Math.max(need.memoryLimit, floor?.memoryLimit ?? 0);
    const pods = Math.max(need.pods, floor?.pods ?? 0);
    const storage = Math.max(need.storage, floor?.storage ?? 0);
    const count = Math.max(need.count, floor?.count ?? 0);
    const quota: Json = {};
    if (cpu > quantityOrNaN(defaults.requests.cpu)) quota.requests = { cpu: String(Math.ceil(cpu)) };
    if (memory > quantityOrNaN(defaults.requests.memory)) quota.requests = { ...quota.requests, memory: `${Math.ceil(memory / GIBIBYTE)}Gi` };
    if (memoryLimit > quantityOrNaN(defaults.limits.memory)) quota.limits = { memory: `${Math.ceil(memoryLimit / GIBIBYTE)}Gi` };
    if (pods > defaults.pods) quota.pods = Math.ceil(pods / 5) * 5;
    if (storage > quantityOrNaN(defaults.requests.storage)) quota.requests = { ...quota.requests, storage: `${Math.ceil(storage / GIBIBYTE)}Gi` };
    if (count > defaults.persistentVolumeClaims) quota.persistentVolumeClaims = count;
    if (Object.keys(quota).length > 0) {
      quotas[environment] = quota;
      notes.push(`environments.${environment}.quota is raised to hold the imported pods at their peak (${JSON.stringify(quota)})`);
    }
    return { cpu, memory, memoryLimit, pods, storage, count };
  };
  const preview = sized('preview');
  sized('dev');
  sized('staging', preview);
  sized('prod');
  return { quotas, notes };
}

/** What the StatefulSets' claims add up to in an environment: one claim per volume and pod, at the most pods. */
function claims(config: Config, environment: EnvironmentName): { storage: number; count: number } {
  let storage = 0;
  let count = 0;
  for (const service of enabledServices(config, environment)) {
    const resolved = resolveService(config, environment, service);
    const pods = config.environments[environment].services[service.name]?.autoscaling?.maxReplicas ?? resolved.replicas;
    for (const volume of Object.values(resolved.storage)) {
      storage += pods * quantityOrNaN(volume.size);
      count += pods;
    }
  }
  return { storage, count };
}
