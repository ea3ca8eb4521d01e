/**
 * Issue 16 item 7, the workload defaults a platform engineer expects, through the overlays rendered by real
 * Kustomize: a preStop sleep with a grace period above it on serving pods, spread over nodes and zones where an
 * environment runs more than one pod, no liveness probe derived from a health endpoint, IfNotPresent where an
 * image runs by digest, and a writable HOME; each overridable where dynenv.yaml says so.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { resolveService } from '../../src/config/resolve.ts';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { find as findObject } from '../support/example.ts';
import { validateObject } from '../support/schemas.ts';
import { tempDir } from '../support/workspace.ts';

const CACHE_IMAGE = `docker.io/library/redis@sha256:${'1'.repeat(64)}`;
const WEB_DIGEST = { staging: `sha256:${'a'.repeat(64)}`, prod: `sha256:${'b'.repeat(64)}` };
const CONFIG = `app: shop
repository: { url: https://github.com/acme/shop.git }
argocd: { plugin: { image: "ghcr.io/acme/dynenv:1.0" } }
cluster: { nodeZoneLabel: true }
services:
  - name: web
    image: ghcr.io/acme/web
    port: 8080
    healthPath: /healthz
  - name: api
    image: ghcr.io/acme/api:v1
    builtHere: true
    port: 8081
    healthPath: /ready
    preStopSleepSeconds: 15
    probes: { liveness: { http: { port: http, path: /livez } } }
    env: { HOME: /home/app }
  - name: worker
    image: ghcr.io/acme/worker:v1
    builtHere: true
    healthCommand: [/worker, check]
  - name: fast
    image: ghcr.io/acme/fast:v1
    builtHere: true
    port: 8082
    healthPath: /
    terminationGracePeriodSeconds: 5
  - name: quiet
    image: ghcr.io/acme/quiet:v1
    builtHere: true
    port: 9000
    healthPath: /
    preStopSleepSeconds: 0
  - name: cache
    kind: StatefulSet
    image: redis@sha256:${'1'.repeat(64)}
    ports: [{ name: redis, containerPort: 6379 }]
    probes: { readiness: { tcp: { port: redis } } }
    terminationGracePeriodSeconds: 60
  - name: report
    kind: CronJob
    schedule: "0 3 * * *"
    image: ghcr.io/acme/report:v1
    builtHere: true
    command: [/report]
environments:
  dev: { imageTag: main }
  staging:
    replicas: 2
    services:
      web: { digest: "${WEB_DIGEST.staging}" }
      worker: { scheduling: { topologySpreadConstraints: [] } }
  prod:
    env: { HOME: /var/home }
    services:
      web: { digest: "${WEB_DIGEST.prod}", autoscaling: { minReplicas: 1, maxReplicas: 4 } }
      api:
        replicas: 3
        scheduling: { topologySpreadConstraints: [{ topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule }] }
`;

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
type Environment = (typeof ENVIRONMENTS)[number];
const rendered = new Map<Environment, KubernetesObject[]>();
beforeAll(async () => {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'dynenv.yaml'), CONFIG);
  await mkdir(path.join(dir, 'gitops'));
  await synthesize({ configFile: path.join(dir, 'dynenv.yaml'), outDir: path.join(dir, 'gitops') });
  for (const environment of ENVIRONMENTS) rendered.set(environment, await kustomizeBuild(path.join(dir, 'gitops/overlays', environment)));
}, 90_000);

const find = (environment: Environment, kind: string, name: string): any => findObject(rendered.get(environment)!, kind, name);
const podSpec = (environment: Environment, kind: string, name: string) => {
  const workload = find(environment, kind, name);
  return kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
};
const main = (environment: Environment, kind: string, name: string) => podSpec(environment, kind, name).containers[0];
const selector = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'shop' } });
/** The default spread: nodes, and zones where `cluster.nodeZoneLabel` says the nodes carry the label. */
const spreadOver = (name: string) => [
  { labelSelector: selector(name), maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
  { labelSelector: selector(name), maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

describe('workload defaults through the overlays', () => {
  it('renders objects the Kubernetes schema accepts (lifecycle.preStop.sleep included)', () => {
    for (const environment of ENVIRONMENTS) {
      for (const object of rendered.get(environment)!) validateObject(object, environment);
    }
    expect(main('dev', 'Deployment', 'web').lifecycle).toBeDefined();
  });

  it('holds SIGTERM back for 5 s on serving pods, with the grace period 30 s above the sleep', () => {
    for (const environment of ENVIRONMENTS) {
      expect(main(environment, 'Deployment', 'web').lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
      expect(podSpec(environment, 'Deployment', 'web').terminationGracePeriodSeconds).toBe(35);
      expect(main(environment, 'StatefulSet', 'cache').lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    }
  });

  it('takes a service\'s own sleep and grace period, and none where it serves nothing or asks for none', () => {
    expect(main('prod', 'Deployment', 'api').lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
    expect(podSpec('prod', 'Deployment', 'api').terminationGracePeriodSeconds).toBe(45);
    expect(podSpec('prod', 'StatefulSet', 'cache').terminationGracePeriodSeconds).toBe(60);
    // A short grace period of its own keeps at least half of it for the shutdown: the default sleep shrinks to fit.
    expect(main('prod', 'Deployment', 'fast').lifecycle).toEqual({ preStop: { sleep: { seconds: 2 } } });
    expect(podSpec('prod', 'Deployment', 'fast').terminationGracePeriodSeconds).toBe(5);
    for (const [kind, name] of [['Deployment', 'worker'], ['Deployment', 'quiet'], ['CronJob', 'report']] as const) {
      expect(main('prod', kind, name).lifecycle, name).toBeUndefined();
      expect(podSpec('prod', kind, name).terminationGracePeriodSeconds, name).toBeUndefined();
    }
  });

  it('spreads the pods of a replicated service over nodes and zones, and a single pod not at all', () => {
    for (const name of ['web', 'api', 'quiet', 'worker']) expect(podSpec('dev', 'Deployment', name).topologySpreadConstraints, name).toBeUndefined();
    for (const name of ['web', 'api', 'quiet']) expect(podSpec('staging', 'Deployment', name).topologySpreadConstraints, name).toEqual(spreadOver(name));
    expect(podSpec('staging', 'StatefulSet', 'cache').topologySpreadConstraints).toEqual(spreadOver('cache'));
    // Autoscaled up to 4 from 1 replica: spread too.
    expect(podSpec('prod', 'Deployment', 'web').topologySpreadConstraints).toEqual(spreadOver('web'));
    expect(podSpec('prod', 'Deployment', 'worker').topologySpreadConstraints).toBeUndefined();
    expect(podSpec('prod', 'CronJob', 'report').topologySpreadConstraints).toBeUndefined();
  });

  it('spreads over nodes only where nodes are not known to carry the zone label (a generic cluster)', () => {
    const config = parseConfig(CONFIG.replace('cluster: { nodeZoneLabel: true }\n', ''));
    const web = config.services.find((service) => service.name === 'web')!;
    expect(resolveService(config, 'staging', web).scheduling.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
    ]);
    expect(resolveService(config, 'dev', web).scheduling.topologySpreadConstraints).toBeUndefined();
  });

  it('keeps a spread dynenv.yaml sets, and none where it sets []', () => {
    expect(podSpec('prod', 'Deployment', 'api').topologySpreadConstraints).toEqual([
      { labelSelector: selector('api'), maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
    ]);
    expect(podSpec('staging', 'Deployment', 'worker').topologySpreadConstraints ?? []).toEqual([]);
  });

  it('derives no liveness probe from a health endpoint or command; only probes.liveness gives one', () => {
    for (const environment of ENVIRONMENTS) {
      expect(main(environment, 'Deployment', 'web').livenessProbe).toBeUndefined();
      expect(main(environment, 'Deployment', 'web').readinessProbe.httpGet.path).toBe('/healthz');
      expect(main(environment, 'Deployment', 'worker').livenessProbe).toBeUndefined();
      expect(main(environment, 'Deployment', 'api').livenessProbe.httpGet).toEqual({ path: '/livez', port: 8081, scheme: 'HTTP' });
    }
  });

  it('pulls an image that runs by digest only when the node lacks it; tags keep Kubernetes\' default', () => {
    expect(main('dev', 'Deployment', 'web')).toMatchObject({ image: 'ghcr.io/acme/web:main' });
    expect(main('dev', 'Deployment', 'web').imagePullPolicy).toBeUndefined();
    for (const environment of ['staging', 'prod'] as const) {
      expect(main(environment, 'Deployment', 'web')).toMatchObject({ image: `ghcr.io/acme/web@${WEB_DIGEST[environment]}`, imagePullPolicy: 'IfNotPresent' });
      expect(main(environment, 'Deployment', 'api').imagePullPolicy).toBeUndefined();
    }
    for (const environment of ENVIRONMENTS) expect(main(environment, 'StatefulSet', 'cache')).toMatchObject({ image: CACHE_IMAGE, imagePullPolicy: 'IfNotPresent' });
  });

  it('gives every service a writable HOME (/tmp), which the service\'s and the environment\'s env override', () => {
    expect(find('dev', 'ConfigMap', 'web-config').data.HOME).toBe('/tmp');
    expect(find('dev', 'ConfigMap', 'report-config').data.HOME).toBe('/tmp');
    expect(find('dev', 'ConfigMap', 'api-config').data.HOME).toBe('/home/app');
    for (const name of ['web', 'api', 'worker']) expect(find('prod', 'ConfigMap', `${name}-config`).data.HOME, name).toBe('/var/home');
    expect(main('dev', 'Deployment', 'web').volumeMounts).toContainEqual({ mountPath: '/tmp', name: 'tmp' });
  });
});
