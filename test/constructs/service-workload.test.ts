import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { ServiceConfig } from '../../src/config/schema.ts';
import { ServiceWorkload } from '../../src/constructs/service-workload.ts';

const digest = `sha256:${'a'.repeat(64)}`;

function service(yaml: string): ServiceConfig {
  const config = parseConfig(
    `app: shop\nservices:\n${yaml}\nenvironments:\n  dev: { imageTag: main }\n${yaml.includes(':7.4') ? '' : `  staging: { services: { api: { digest: "${digest}" } } }\n  prod: { services: { api: { digest: "${digest}" } } }\n`}`,
  );
  return config.services[0]!;
}

/** Synthesizes one workload and returns its objects by kind. */
function synth(props: { service: ServiceConfig; replicas?: number; id?: string }) {
  const chart = new Chart(new App(), 'test');
  new ServiceWorkload(chart, props.id ?? 'Workload', { app: 'shop', service: props.service, replicas: props.replicas });
  const objects = chart.node
    .findAll()
    .filter((construct): construct is ApiObject => construct instanceof ApiObject)
    .map((object) => object.toJson());
  const byKind = (kind: string) => objects.filter((object) => object.kind === kind);
  return { objects, byKind, deployment: byKind('Deployment')[0], container: byKind('Deployment')[0].spec.template.spec.containers[0] };
}

const httpService = service(
  `  - name: api\n    image: ghcr.io/acme/api\n    port: 8080\n    healthPath: /healthz\n    env: { A: "1" }\n    resources:\n      requests: { cpu: "0.5", memory: 1Gi }\n      limits: { cpu: "2", memory: 2Gi }`,
);

describe('ServiceWorkload', () => {
  it('creates a Deployment, Service, ServiceAccount and ConfigMap, each named after the service', () => {
    const { objects } = synth({ service: httpService });
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual([
      'ConfigMap/api-config',
      'Deployment/api',
      'Service/api',
      'ServiceAccount/api',
    ]);
  });

  it('selects pods on explicit app.kubernetes.io labels only, whatever the construct path', () => {
    const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'shop' };
    for (const id of ['Workload', 'Renamed']) {
      const { deployment, byKind } = synth({ service: httpService, id });
      expect(deployment.spec.selector).toEqual({ matchLabels: selector });
      expect(deployment.spec.template.metadata.labels).toEqual(selector);
      expect(byKind('Service')[0].spec.selector).toEqual(selector);
      expect(deployment.metadata.labels).toEqual({ ...selector, 'app.kubernetes.io/managed-by': 'dynenv' });
    }
  });

  it('sets replicas, the image without a tag, and env from the ConfigMap', () => {
    const { deployment, container, byKind } = synth({ service: httpService, replicas: 3 });
    expect(deployment.spec.replicas).toBe(3);
    expect(container.image).toBe('ghcr.io/acme/api');
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'api-config' } }]);
    expect(byKind('ConfigMap')[0].data).toEqual({ A: '1', HOME: '/tmp' });
  });

  it('uses the quantities exactly as configured', () => {
    expect(synth({ service: httpService }).container.resources).toEqual({
      requests: { cpu: '0.5', memory: '1Gi' },
      limits: { cpu: '2', memory: '2Gi' },
    });
  });

  it('probes the health path on the container port for readiness and startup, never liveness, and exposes it as "http" behind port 80', () => {
    const { container, byKind } = synth({ service: httpService });
    const httpGet = { path: '/healthz', port: 8080, scheme: 'HTTP' };
    expect(container.readinessProbe).toMatchObject({ httpGet, periodSeconds: 10 });
    // A health endpoint may report the database: as liveness it would restart every pod during a database outage.
    expect(container.livenessProbe).toBeUndefined();
    expect(container.startupProbe).toMatchObject({ httpGet, failureThreshold: 30 });
    expect(container.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(byKind('Service')[0].spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
  });

  it('runs as non-root with a read-only root file system and a writable /tmp (restricted Pod Security)', () => {
    const { deployment, container } = synth({ service: httpService });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('api');
    expect(container.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  it('gives a worker without a port no Service, and probes its readiness (only) with its health command', () => {
    const worker = service(`  - name: api\n    image: ghcr.io/acme/worker\n    healthCommand: [/bin/check, --ready]`);
    const { byKind, container } = synth({ service: worker });
    expect(byKind('Service')).toEqual([]);
    expect(container.readinessProbe).toMatchObject({ exec: { command: ['/bin/check', '--ready'] } });
    expect(container.livenessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
    expect(container.ports).toBeUndefined();
  });

  it('exposes every named port on the Service, port to container port, and probes gRPC and HTTP by port name', () => {
    const grpc = service(`  - name: api
    image: ghcr.io/acme/api
    ports:
      - { name: grpc, containerPort: 7070, appProtocol: grpc }
      - { name: http, containerPort: 8080, port: 80 }
      - { name: dns, containerPort: 5353, protocol: UDP }
    probes:
      readiness: { grpc: { port: grpc, service: cart }, initialDelaySeconds: 15 }
      liveness: { http: { port: http, path: /_healthz, headers: { Cookie: "id=probe" } }, periodSeconds: 5 }
      startup: { tcp: { port: 7070 }, failureThreshold: 30 }`);
    const { container, byKind } = synth({ service: grpc });
    expect(container.ports).toEqual([
      { name: 'grpc', containerPort: 7070 },
      { name: 'http', containerPort: 8080 },
      { name: 'dns', containerPort: 5353, protocol: 'UDP' },
    ]);
    expect(byKind('Service')[0].spec.ports).toEqual([
      { name: 'grpc', port: 7070, targetPort: 7070, protocol: 'TCP', appProtocol: 'grpc' },
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'dns', port: 5353, targetPort: 5353, protocol: 'UDP' },
    ]);
    expect(container.readinessProbe).toEqual({ grpc: { port: 7070, service: 'cart' }, initialDelaySeconds: 15 });
    expect(container.livenessProbe).toEqual({
      httpGet: { path: '/_healthz', port: 8080, scheme: 'HTTP', httpHeaders: [{ name: 'Cookie', value: 'id=probe' }] },
      periodSeconds: 5,
    });
    expect(container.startupProbe).toEqual({ tcpSocket: { port: 7070 }, failureThreshold: 30 });
  });

  it('replaces a derived probe with the configured one, and removes one set to false', () => {
    const tuned = service(`  - name: api
    image: ghcr.io/acme/api
    port: 8080
    healthPath: /healthz
    probes:
      readiness: { http: { port: http, path: /ready }, periodSeconds: 5 }
      startup: false`);
    const { container } = synth({ service: tuned });
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 5 });
    expect(container.livenessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
  });

  it('gives a liveness probe only where probes.liveness declares one, on its own check', () => {
    const live = service(`  - name: api
    image: ghcr.io/acme/api
    port: 8080
    healthPath: /healthz
    probes:
      liveness: { http: { port: http, path: /livez }, periodSeconds: 20 }`);
    const { container } = synth({ service: live });
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/livez', port: 8080, scheme: 'HTTP' }, periodSeconds: 20 });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 } });
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 30 });
  });

  it('marks a workload that declares it serves no traffic, so that validate does not ask for a readiness probe', () => {
    const { deployment, container } = synth({ service: service(`  - name: api\n    image: ghcr.io/acme/loadgen\n    probes: { readiness: false }`) });
    expect(container.readinessProbe).toBeUndefined();
    expect(deployment.metadata.annotations).toEqual({
      'ignore-check.dynenv.io/readiness-probe': 'dynenv.yaml: probes.readiness: false (the service serves no traffic)',
    });
  });

  it('keeps literal variables in the ConfigMap and references in env, with the ConfigMap read after envFrom so its values win', () => {
    const { container, byKind } = synth({
      service: service(`  - name: api
    image: ghcr.io/acme/api
    healthCommand: [x]
    env:
      PORT: 8080
      DB_PASSWORD: { secretKeyRef: { name: db, key: password } }
      MODE: { configMapKeyRef: { name: modes, key: mode, optional: true } }
      POD_IP: { fieldRef: status.podIP }
    envFrom: [{ secret: api-keys, prefix: KEYS_ }, { configMap: shared, optional: true }]`),
    });
    expect(byKind('ConfigMap')[0].data).toEqual({ HOME: '/tmp', PORT: '8080' });
    expect(container.env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'modes', key: 'mode', optional: true } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ]);
    expect(container.envFrom).toEqual([
      { prefix: 'KEYS_', secretRef: { name: 'api-keys' } },
      { configMapRef: { name: 'shared', optional: true } },
      { configMapRef: { name: 'api-config' } },
    ]);
  });

  it('runs a third-party image as written, and an image built here with the tag it names', () => {
    expect(synth({ service: service(`  - name: api\n    image: redis:7.4\n    healthCommand: [x]`) }).container.image).toBe('docker.io/library/redis:7.4');
    expect(synth({ service: service(`  - name: api\n    image: ghcr.io/acme/api:v1\n    builtHere: true\n    healthCommand: [x]`) }).container.image).toBe(
      'ghcr.io/acme/api:v1',
    );
  });
});
