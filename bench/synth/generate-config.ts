/**
 * A synthetic dynenv.yaml with `count` services, shaped like the bundled example (HTTP services with health
 * paths, one with ingress, every fifth a worker, every tenth with a database, migrations and seed data), with
 * quotas sized for that many services and a repository, so that every part of the tree (overlays and argocd/) is
 * synthesized. For benchmarks of synthesis and validation, and for the sync simulation's tests.
 */
import { stringify } from 'yaml';
import { ENVIRONMENT_NAMES } from '../../src/config/schema.ts';

export function generateConfig(count: number): string {
  const services = Array.from({ length: count }, (_, index) => {
    const name = `svc-${String(index).padStart(3, '0')}`;
    const worker = index % 5 === 4;
    return {
      name,
      image: `ghcr.io/example-org/${name}`,
      ...(worker ? { healthCommand: ['/app/health'] } : { port: 8080, healthPath: '/healthz' }),
      ...(index === 0 && { ingress: true }),
      // Every tenth service has a database, migrations and seed data, like the example's api.
      ...(index % 10 === 0 && { database: 'postgres', migrate: { command: ['/app/migrate'] }, seed: { command: ['/app/seed'] } }),
      env: { SERVICE_NAME: name },
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
  return stringify({
    app: 'bench',
    repository: { url: 'https://github.com/example-org/bench.git' },
    services,
    environments,
    argocd: { plugin: { image: 'ghcr.io/example-org/dynenv:0.1.0' } },
  });
}
