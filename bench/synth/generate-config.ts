/**
 * A synthetic dynenv.yaml with `count` services, shaped like the bundled example (HTTP services with health
 * paths, one with ingress, every fifth a worker, every tenth with a database, migrations and seed data), with
 * quotas sized for that many services and a repository, so that every part of the tree (overlays and argocd/) is
 * synthesized. For benchmarks of synthesis and validation, and for the sync simulation's tests.
 */
import { stringify } from 'yaml';
import { ENVIRONMENT_NAMES } from '../../src/config/schema.ts';

export interface GenerateOptions {
  /**
   * Use the workload model of issue 11 (named gRPC ports and probes, StatefulSets with persistent volumes, CronJobs,
   * volumes, init containers and sidecars, env from Secrets, scheduling, patches, contracts between services, a
   * service switched off in dev) instead of the short forms. @default false
   */
  readonly workloadModel?: boolean;
}

const serviceName = (index: number) => `svc-${String(index).padStart(3, '0')}`;

export function generateConfig(count: number, options: GenerateOptions = {}): string {
  const services = Array.from({ length: count }, (_, index) => {
    const name = serviceName(index);
    const worker = index % 5 === 4;
    return {
      name,
      image: `ghcr.io/example-org/${name}`,
      ...(worker ? { healthCommand: ['/app/health'] } : { port: 8080, healthPath: '/healthz' }),
      ...(index === 0 && { ingress: true }),
      // Every tenth service has a database, migrations and seed data, like the example's api.
      ...(index % 10 === 0 && { database: 'postgres', migrate: { command: ['/app/migrate'] }, seed: { command: ['/app/seed'] } }),
      env: { SERVICE_NAME: name },
      ...(options.workloadModel && workloadModel(index, count)),
    };
  });
  const digest = (index: number, salt: string) => `sha256:${(salt + index.toString(16)).padStart(64, '0')}`;
  const pins = (salt: string) => Object.fromEntries(services.map((service, index) => [service.name, { digest: digest(index, salt) }]));
  // Peak of every replica plus a rolling update's surge, at the default requests (100m, 128Mi; limit 256Mi):
  // the per-environment default quota rightly rejects a hundred services.
  const quota = { requests: { cpu: String(count), memory: `${count}Gi` }, limits: { memory: `${2 * count}Gi` }, pods: 10 * count };
  const environments: Record<string, object> = {
    dev: { imageTag: 'main', host: 'bench.dev.example.com', env: { LOG_LEVEL: 'debug' } },
    staging: { replicas: 2, host: 'bench.staging.example.com', services: pins('a') },
    prod: { replicas: 3, host: 'bench.example.com', services: pins('b') },
    preview: {},
  };
  for (const environment of ENVIRONMENT_NAMES) environments[environment] = { ...environments[environment], quota };
  if (options.workloadModel) {
    environments.dev = { ...environments.dev, storageClass: 'standard', services: { [serviceName(count - 1)]: { enabled: false } } };
    environments.prod = {
      ...environments.prod,
      scheduling: { topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }] },
      patches: [{ target: { kind: 'Service', name: serviceName(0) }, patch: { metadata: { annotations: { 'example.com/tier': 'edge' } } } }],
    };
  }
  return stringify({
    app: 'bench',
    repository: { url: 'https://github.com/example-org/bench.git' },
    services,
    environments,
    argocd: { plugin: { image: 'ghcr.io/example-org/dynenv:0.1.0' } },
    // The Secret the workload model's env refers to is made outside the tree.
    ...(options.workloadModel && { external: { secrets: ['bench-tokens'] } }),
  });
}

/**
 * The fields of issue 11's workload model for service `index`, replacing the short forms: every third service a
 * gRPC server (named ports, grpc probes) that the one before it calls (talksTo/allowFrom), every tenth (after the
 * first) a StatefulSet with a persistent volume, every twentieth a CronJob; volumes, an init container, a sidecar,
 * env from a Secret, scheduling and a patch spread over the rest.
 */
function workloadModel(index: number, count: number): Record<string, unknown> {
  const cron = index % 20 === 19;
  const grpc = index % 3 === 1 && !cron;
  const stateful = index % 10 === 5 && !grpc;
  // Calls the next service, a gRPC server (unless that one is a CronJob).
  const caller = index % 3 === 0 && index + 1 < count && (index + 1) % 20 !== 19;
  const fields: Record<string, unknown> = {
    env: {
      SERVICE_NAME: serviceName(index),
      API_TOKEN: { secretKeyRef: { name: 'bench-tokens', key: serviceName(index) } },
      POD_IP: { fieldRef: 'status.podIP' },
      ...(caller && { NEXT_ADDR: `${serviceName(index + 1)}:7070` }),
    },
    volumes: [
      { name: 'cache', mountPath: '/cache', emptyDir: { sizeLimit: '64Mi' } },
      ...(stateful ? [{ name: 'data', mountPath: '/data', persistent: { size: '2Gi' } }] : []),
    ],
    podAnnotations: { 'example.com/team': `team-${index % 7}` },
    scheduling: { nodeSelector: { 'kubernetes.io/arch': 'amd64' } },
    ...(index % 4 === 0 && { initContainers: [{ name: 'wait', image: 'busybox:1.37', command: ['sh', '-c', 'true'] }] }),
    ...(index % 8 === 2 && {
      initContainers: [
        {
          name: 'proxy',
          image: 'ghcr.io/example-org/proxy:1.0',
          sidecar: true,
          ports: [{ name: 'proxy', containerPort: 15000 }],
          probes: { readiness: { tcp: { port: 'proxy' } } },
        },
      ],
    }),
    ...(index % 6 === 3 &&
      !cron && { patches: [{ patch: { spec: { template: { spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['legacy.internal'] }] } } } } }] }),
  };
  if (cron) {
    return {
      ...fields,
      kind: 'CronJob',
      schedule: '0 3 * * *',
      healthCommand: undefined,
      port: undefined,
      healthPath: undefined,
      database: undefined,
      migrate: undefined,
      seed: undefined,
      ingress: undefined,
      command: ['/app/report'],
    };
  }
  if (grpc) {
    return {
      ...fields,
      port: undefined,
      healthPath: undefined,
      healthCommand: undefined,
      ports: [
        { name: 'grpc', containerPort: 7070, appProtocol: 'grpc' },
        { name: 'metrics', containerPort: 9090 },
      ],
      probes: { readiness: { grpc: { port: 'grpc' } }, liveness: { grpc: { port: 'grpc' }, periodSeconds: 20 } },
      allowFrom: [{ service: serviceName(index - 1), ports: ['grpc'] }],
    };
  }
  return {
    ...fields,
    ...(stateful && { kind: 'StatefulSet', database: undefined, migrate: undefined, seed: undefined }),
    ...(caller && { talksTo: [{ service: serviceName(index + 1), ports: ['grpc'] }] }),
  };
}
