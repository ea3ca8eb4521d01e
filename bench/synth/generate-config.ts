/**
 * A synthetic dynenv.yaml with `count` services, shaped like the bundled example (HTTP services with health
 * paths, some with ingress, every fifth a worker), for benchmarks of synthesis and validation at scale.
 */
import { stringify } from 'yaml';

export function generateConfig(count: number): string {
  const services = Array.from({ length: count }, (_, index) => {
    const name = `svc-${String(index).padStart(3, '0')}`;
    const worker = index % 5 === 4;
    return {
      name,
      image: `ghcr.io/example-org/${name}`,
      ...(worker ? { healthCommand: ['/app/health'] } : { port: 8080, healthPath: '/healthz' }),
      ...(index === 0 && { ingress: true }),
      env: { SERVICE_NAME: name },
    };
  });
  const digest = (index: number, salt: string) => `sha256:${(salt + index.toString(16)).padStart(64, '0')}`;
  const pins = (salt: string) => Object.fromEntries(services.map((service, index) => [service.name, { digest: digest(index, salt) }]));
  return stringify({
    app: 'bench',
    services,
    environments: {
      dev: { imageTag: 'main', host: 'bench.dev.example.com', env: { LOG_LEVEL: 'debug' } },
      staging: { replicas: 2, host: 'bench.staging.example.com', services: pins('a') },
      prod: { replicas: 3, host: 'bench.example.com', services: pins('b') },
      preview: {},
    },
  });
}
