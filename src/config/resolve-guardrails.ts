/**
 * The guardrails of one environment once dynenv.yaml's settings are laid over the per-environment defaults.
 * The defaults follow the environment's purpose: a preview is the smallest risk container, prod the largest;
 * every service that runs more than one pod gets a PodDisruptionBudget unless configured otherwise.
 */
import type { PodSecurityLevel } from './guardrails-schema.ts';
import type { Config, EnvironmentName } from './schema.ts';

export interface ResolvedQuota {
  readonly requests: { readonly cpu: string; readonly memory: string; readonly storage: string };
  readonly limits: { readonly cpu?: string; readonly memory: string };
  readonly pods: number;
  readonly persistentVolumeClaims: number;
  readonly loadBalancers: number;
  readonly nodePorts: number;
}

export interface ResolvedLimitRange {
  readonly defaultRequests: { readonly cpu?: string; readonly memory?: string };
  readonly defaultLimits: { readonly cpu?: string; readonly memory?: string };
  readonly max: { readonly cpu?: string; readonly memory?: string };
}

export type ResolvedDisruptionBudget = { readonly maxUnavailable: number | string } | { readonly minAvailable: number | string };

/**
 * The PodDisruptionBudget of each service: a configured budget covers every service; the default covers the
 * services that run more than one pod (a drain must not take them all down at once, and one pod cannot be spared).
 */
export interface DisruptionBudgetPolicy {
  readonly budget: ResolvedDisruptionBudget;
  readonly services: 'every' | 'replicated';
}

export interface ResolvedGuardrails {
  readonly podSecurity: PodSecurityLevel;
  readonly quota: ResolvedQuota;
  readonly limitRange: ResolvedLimitRange;
  /** Undefined when the environment has no PodDisruptionBudgets (`disruptionBudget: false`). */
  readonly disruptionBudget: DisruptionBudgetPolicy | undefined;
}

/** The default budget: at most one pod of a service down at a time. */
export const DEFAULT_DISRUPTION_BUDGET: ResolvedDisruptionBudget = { maxUnavailable: 1 };

/** Quotas by environment: a preview gets far less than staging, which gets less than prod. */
export const DEFAULT_QUOTAS: Readonly<Record<EnvironmentName, ResolvedQuota>> = {
  dev: quota('4', '8Gi', '20Gi', '16Gi', 50, 10),
  staging: quota('8', '16Gi', '50Gi', '32Gi', 100, 20),
  prod: quota('32', '64Gi', '200Gi', '128Gi', 300, 50),
  preview: quota('2', '4Gi', '5Gi', '8Gi', 20, 2),
};

const DEFAULT_MAX_MEMORY: Readonly<Record<EnvironmentName, string>> = { dev: '4Gi', staging: '8Gi', prod: '16Gi', preview: '2Gi' };

function quota(cpu: string, memory: string, storage: string, memoryLimit: string, pods: number, claims: number): ResolvedQuota {
  return {
    requests: { cpu, memory, storage },
    limits: { memory: memoryLimit },
    pods,
    persistentVolumeClaims: claims,
    loadBalancers: 0,
    nodePorts: 0,
  };
}

/** The guardrails of `envName`: configured values over the environment's defaults, field by field. */
export function resolveGuardrails(config: Config, envName: EnvironmentName): ResolvedGuardrails {
  const environment = config.environments[envName];
  const defaults = DEFAULT_QUOTAS[envName];
  const configured = environment.quota;
  const cpuLimit = configured.limits?.cpu ?? defaults.limits.cpu;
  const limitRange = environment.limitRange;
  return {
    podSecurity: environment.podSecurity,
    quota: {
      requests: { ...defaults.requests, ...defined(configured.requests ?? {}) },
      limits: { memory: configured.limits?.memory ?? defaults.limits.memory, ...(cpuLimit !== undefined && { cpu: cpuLimit }) },
      pods: configured.pods ?? defaults.pods,
      persistentVolumeClaims: configured.persistentVolumeClaims ?? defaults.persistentVolumeClaims,
      loadBalancers: configured.loadBalancers ?? defaults.loadBalancers,
      nodePorts: configured.nodePorts ?? defaults.nodePorts,
    },
    limitRange: {
      defaultRequests: { cpu: '100m', memory: '128Mi', ...defined(limitRange.defaultRequests ?? {}) },
      defaultLimits: { memory: '256Mi', ...defined(limitRange.defaultLimits ?? {}) },
      max: { memory: DEFAULT_MAX_MEMORY[envName], ...defined(limitRange.max ?? {}) },
    },
    disruptionBudget: disruptionBudget(environment.disruptionBudget),
  };
}

function disruptionBudget(configured: Config['environments']['prod']['disruptionBudget']): DisruptionBudgetPolicy | undefined {
  if (configured === false) return undefined;
  if (configured === undefined) return { budget: DEFAULT_DISRUPTION_BUDGET, services: 'replicated' };
  const budget = configured.maxUnavailable !== undefined ? { maxUnavailable: configured.maxUnavailable } : { minAvailable: configured.minAvailable! };
  return { budget, services: 'every' };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
