/**
 * Rules across the guardrail, preview and Argo CD settings, checked before anything is synthesized: a quota
 * that cannot hold the environment's own pods, a preview quota larger than staging's, an autoscaler without the
 * requests it scales on, TLS without a host.
 */
import type { z } from 'zod';
import { configMapDataBytes, MAX_CONFIGMAP_DATA_BYTES } from './env-checks.ts';
import { isLiteral } from './env-schema.ts';
import { networkProblems } from './network-checks.ts';
import { argocdProblems } from './resolve-argocd.ts';
import { resolveGuardrails, type ResolvedQuota } from './resolve-guardrails.ts';
import { CREDENTIALS_JOB_RESOURCES } from './resolve-preview.ts';
import { enabledServices, resolveService } from './resolve.ts';
import { SMOKE_TEST_NAME, resolveSmokeTest, smokeTestProblems } from './resolve-smoke-test.ts';
import { formatCpu, formatMemory, quantityOrNaN } from './quantity.ts';
import { ENVIRONMENT_NAMES, type EnvironmentName } from './environment-names.ts';
import type { Config } from './schema.ts';

type Issue = { path: (string | number)[]; message: string };

/** Adds an issue to `ctx` for every rule the configuration breaks. */
export function checkEnvironments(config: Config, ctx: z.RefinementCtx): void {
  const smokeTest = smokeTestProblems(config);
  const issues = [
    ...hostRules(config),
    ...autoscalingRules(config),
    ...smokeTest,
    // The quota counts the smoke test's pod, which needs a valid smoke test.
    ...(smokeTest.length === 0 ? quotaRules(config) : []),
    ...configMapSizeRules(config),
    ...argocdProblems(config),
    ...networkProblems(config),
  ];
  for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
}

/**
 * A service's ConfigMap of literal variables, in each environment, within what the API server accepts: one issue
 * per service, naming the environments whose ConfigMap would be too large and the largest size.
 */
function configMapSizeRules(config: Config): Issue[] {
  return config.services.flatMap((service, index) => {
    const literals = (envName: EnvironmentName) => Object.values(resolveService(config, envName, service).env).filter(isLiteral);
    const sizes = ENVIRONMENT_NAMES.map((envName) => [envName, configMapDataBytes(literals(envName))] as const);
    const over = sizes.filter(([, size]) => size > MAX_CONFIGMAP_DATA_BYTES);
    if (over.length === 0) return [];
    const largest = Math.max(...over.map(([, size]) => size));
    return [
      {
        path: ['services', index, 'env'],
        message:
          `the ConfigMap of the service's literal variables would hold ${largest} bytes of values in ${over.map(([envName]) => envName).join(', ')}, ` +
          `more than the ${MAX_CONFIGMAP_DATA_BYTES} bytes (1 MiB) Kubernetes accepts in a ConfigMap: put large content in files`,
      },
    ];
  });
}

function hostRules(config: Config): Issue[] {
  const issues: Issue[] = [];
  if (config.environments.preview.host !== undefined) {
    issues.push({
      path: ['environments', 'preview', 'host'],
      message: 'a preview has one host per pull request: set "preview.host" to a pattern such as "pr-{{number}}.preview.example.com"',
    });
  }
  if (config.environments.preview.tls !== undefined) {
    issues.push({ path: ['environments', 'preview', 'tls'], message: 'set "preview.tls" instead (its Secret name may hold {{number}})' });
  }
  for (const envName of ENVIRONMENT_NAMES) {
    const environment = config.environments[envName];
    if (envName !== 'preview' && environment.tls !== undefined && environment.host === undefined) {
      issues.push({ path: ['environments', envName, 'tls'], message: 'needs "host" on the same environment' });
    }
  }
  if (config.preview.tls !== undefined && config.preview.host === undefined) {
    issues.push({ path: ['preview', 'tls'], message: 'needs "preview.host"' });
  }
  const tlsSettings: Array<[(string | number)[], { secretName?: string; clusterIssuer?: string } | undefined]> = [
    ...ENVIRONMENT_NAMES.map((envName): [(string | number)[], { secretName?: string; clusterIssuer?: string } | undefined] => [
      ['environments', envName, 'tls'],
      config.environments[envName].tls,
    ]),
    [['preview', 'tls'], config.preview.tls],
    [['argocd', 'plugin', 'webhook', 'tls'], config.argocd.plugin.webhook?.tls],
  ];
  for (const [path, tls] of tlsSettings) {
    if (tls?.clusterIssuer !== undefined && tls.secretName === undefined) {
      issues.push({ path: [...path, 'secretName'], message: 'required with "clusterIssuer": cert-manager stores the certificate it issues in that Secret' });
    }
  }
  const databases = config.services.filter((service) => service.database !== undefined);
  if (databases.length > 0 && config.preview.database.credentialsImage === undefined && config.argocd.plugin.image === undefined) {
    issues.push({
      path: ['preview', 'database', 'credentialsImage'],
      message: `required: the dynenv image that creates the preview database credentials of ${databases.map((service) => service.name).join(', ')} (or set argocd.plugin.image)`,
    });
  }
  return issues;
}

function autoscalingRules(config: Config): Issue[] {
  const issues: Issue[] = [];
  for (const envName of ENVIRONMENT_NAMES) {
    for (const service of config.services) {
      const scaling = config.environments[envName].services[service.name]?.autoscaling;
      if (!scaling) continue;
      const { requests } = resolveService(config, envName, service).resources;
      const path = ['environments', envName, 'services', service.name, 'autoscaling'];
      if (requests.cpu === undefined) {
        issues.push({ path, message: 'scales on CPU use relative to the CPU request: set resources.requests.cpu for this service' });
      }
      if (scaling.memoryUtilization !== undefined && requests.memory === undefined) {
        issues.push({ path, message: 'scales on memory use relative to the memory request: set resources.requests.memory' });
      }
    }
  }
  return issues;
}

/** What an environment's own pods ask for at their peak: every replica plus a rolling update's surge. */
export interface Footprint {
  cpu: number;
  memory: number;
  memoryLimit: number;
  pods: number;
  /** One line per contributor, for messages: "api 2×100m". */
  parts: { cpu: string[]; memory: string[]; memoryLimit: string[] };
}

/** The peak requests of the pods dynenv puts in `envName` (services, preview database and Jobs). */
export function footprint(config: Config, envName: EnvironmentName): Footprint {
  const total: Footprint = { cpu: 0, memory: 0, memoryLimit: 0, pods: 0, parts: { cpu: [], memory: [], memoryLimit: [] } };
  const { defaultRequests, defaultLimits } = resolveGuardrails(config, envName).limitRange;
  type Amounts = { requests: { cpu?: string; memory?: string }; limits: { memory?: string } };
  const amounts = (resources: Amounts) => ({
    cpu: quantityOrNaN(resources.requests.cpu ?? defaultRequests.cpu),
    memory: quantityOrNaN(resources.requests.memory ?? defaultRequests.memory),
    memoryLimit: quantityOrNaN(resources.limits.memory ?? defaultLimits.memory),
  });
  /** What a pod counts against the quota: its main container and sidecars together, or its largest init step if more. */
  const perPod = (main: Amounts, init: ReadonlyArray<{ readonly sidecar: boolean; readonly resources: Amounts }> = []) => {
    const sum = (list: Array<ReturnType<typeof amounts>>) =>
      list.reduce((all, one) => ({ cpu: all.cpu + one.cpu, memory: all.memory + one.memory, memoryLimit: all.memoryLimit + one.memoryLimit }), {
        cpu: 0,
        memory: 0,
        memoryLimit: 0,
      });
    const sidecars: Array<ReturnType<typeof amounts>> = [];
    let peak = { cpu: 0, memory: 0, memoryLimit: 0 };
    for (const container of init) {
      if (container.sidecar) sidecars.push(amounts(container.resources));
      else {
        const step = sum([...sidecars, amounts(container.resources)]);
        peak = { cpu: Math.max(peak.cpu, step.cpu), memory: Math.max(peak.memory, step.memory), memoryLimit: Math.max(peak.memoryLimit, step.memoryLimit) };
      }
    }
    const running = sum([...sidecars, amounts(main)]);
    return {
      cpu: Math.max(peak.cpu, running.cpu),
      memory: Math.max(peak.memory, running.memory),
      memoryLimit: Math.max(peak.memoryLimit, running.memoryLimit),
    };
  };
  const add = (name: string, pods: number, pod: ReturnType<typeof perPod>) => {
    total.pods += pods;
    const parts: Array<[keyof typeof pod, (value: number) => string]> = [
      ['cpu', formatCpu],
      ['memory', formatMemory],
      ['memoryLimit', formatMemory],
    ];
    for (const [field, format] of parts) {
      total[field] += pods * pod[field];
      if (!Number.isNaN(pod[field])) total.parts[field].push(`${name} ${pods}×${format(pod[field])}`);
    }
  };
  for (const service of enabledServices(config, envName)) {
    const resolved = resolveService(config, envName, service);
    const scaling = config.environments[envName].services[service.name]?.autoscaling;
    // A CronJob runs one pod at a time (concurrencyPolicy Forbid by default); a Deployment rolls with maxSurge 25%:
    // that many extra pods exist for a while; a StatefulSet replaces its pods one by one.
    const replicas = service.kind === 'CronJob' ? 1 : (scaling?.maxReplicas ?? resolved.replicas);
    const surge = service.kind === 'Deployment' ? Math.ceil(replicas * 0.25) : 0;
    add(service.name, replicas + surge, perPod(resolved.resources, service.initContainers));
    // The seed Job starts only once the migration hook has completed: one Job pod at a time.
    const seeds = envName === 'preview' && service.seed !== undefined;
    if (service.migrate || seeds) add(`${service.name}-${service.migrate ? 'migrate' : 'seed'}`, 1, perPod(resolved.resources));
    if (envName === 'preview' && service.database) {
      add(`${service.name}-postgres`, 1, perPod(config.preview.database.resources));
      add(`${service.name}-database-credentials`, 1, perPod(CREDENTIALS_JOB_RESOURCES));
    }
  }
  const smokeTest = envName === 'preview' ? resolveSmokeTest(config) : undefined;
  // Counted although it starts only once the rollout is over: the sum stays a bound without modelling when pods overlap.
  if (smokeTest) add(SMOKE_TEST_NAME, 1, perPod(smokeTest.resources));
  return total;
}

function quotaRules(config: Config): Issue[] {
  const issues: Issue[] = [];
  for (const envName of ENVIRONMENT_NAMES) {
    const { quota } = resolveGuardrails(config, envName);
    const need = footprint(config, envName);
    const path = (...rest: string[]) => ['environments', envName, 'quota', ...rest];
    const tooSmall = (field: string[], have: string, needs: string, parts: string[]) =>
      issues.push({
        path: path(...field),
        message: `${have} cannot hold the environment's own pods at their peak (${needs}: ${parts.join(', ')}, counting a rolling update's surge); raise it or lower the requests`,
      });
    if (quantityOrNaN(quota.requests.cpu) < need.cpu - 1e-9) tooSmall(['requests', 'cpu'], quota.requests.cpu, formatCpu(need.cpu), need.parts.cpu);
    if (quantityOrNaN(quota.requests.memory) < need.memory) {
      tooSmall(['requests', 'memory'], quota.requests.memory, formatMemory(need.memory), need.parts.memory);
    }
    if (quantityOrNaN(quota.limits.memory) < need.memoryLimit) {
      tooSmall(['limits', 'memory'], quota.limits.memory, formatMemory(need.memoryLimit), need.parts.memoryLimit);
    }
    if (quota.pods < need.pods) {
      issues.push({ path: path('pods'), message: `${quota.pods} cannot hold the environment's own ${need.pods} pods at their peak; raise it` });
    }
  }
  issues.push(...previewSmallerThanStaging(resolveGuardrails(config, 'preview').quota, resolveGuardrails(config, 'staging').quota));
  return issues;
}

/** A preview is the smallest risk container: no quota of it may exceed staging's. */
function previewSmallerThanStaging(preview: ResolvedQuota, staging: ResolvedQuota): Issue[] {
  const compared: Array<[string[], string | number, string | number]> = [
    [['requests', 'cpu'], preview.requests.cpu, staging.requests.cpu],
    [['requests', 'memory'], preview.requests.memory, staging.requests.memory],
    [['requests', 'storage'], preview.requests.storage, staging.requests.storage],
    [['limits', 'memory'], preview.limits.memory, staging.limits.memory],
    [['pods'], preview.pods, staging.pods],
  ];
  const value = (amount: string | number) => (typeof amount === 'number' ? amount : quantityOrNaN(amount));
  return compared
    .filter(([, mine, theirs]) => value(mine) > value(theirs))
    .map(([field, mine, theirs]) => ({
      path: ['environments', 'preview', 'quota', ...field],
      message: `${mine} is more than staging's ${theirs}: a preview must get a smaller quota than staging`,
    }));
}
