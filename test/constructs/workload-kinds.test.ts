/** ServiceWorkload for each kind and for the pod settings of part 2 of the model, asserted field by field. */
import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { ServiceConfig } from '../../src/config/schema.ts';
import { ServiceWorkload } from '../../src/constructs/service-workload.ts';

/** The one service of a configuration whose `services:` entry is `yaml` (no environment pins anything: a tagged image). */
function service(yaml: string, rest = ''): ServiceConfig {
  const text = `app: shop\nservices:\n  - name: svc\n${yaml
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')}\n${rest}`;
  return parseConfig(text).services[0]!;
}

function synth(target: ServiceConfig, extra: { files?: ReadonlyMap<string, string> } = {}) {
  const chart = new Chart(new App(), 'test');
  new ServiceWorkload(chart, 'Workload', { app: 'shop', service: target, ...extra });
  const objects = chart.node
    .findAll()
    .filter((construct): construct is ApiObject => construct instanceof ApiObject)
    .map((object) => object.toJson());
  const one = (kind: string, name?: string) => {
    const found = objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
    if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
    return found[0];
  };
  return { objects, one, kinds: objects.map((object) => `${object.kind}/${object.metadata.name}`).sort() };
}

describe('kind: StatefulSet', () => {
  const redis = service(`
kind: StatefulSet
image: redis:7.4-alpine
ports: [{ name: tcp-redis, containerPort: 6379 }]
probes: { readiness: { tcp: { port: tcp-redis }, periodSeconds: 5 } }
volumes:
  - { name: data, mountPath: /data, persistent: { size: 2Gi, storageClass: fast } }`);

  it('is governed by a headless Service of the same name, and claims a volume per pod', () => {
    const { one, kinds } = synth(redis);
    expect(kinds).toEqual(['ConfigMap/svc-config', 'Service/svc', 'ServiceAccount/svc', 'StatefulSet/svc']);
    expect(one('Service').spec).toMatchObject({ clusterIP: 'None', ports: [{ name: 'tcp-redis', port: 6379, targetPort: 6379, protocol: 'TCP' }] });
    const spec = one('StatefulSet').spec;
    expect(spec.serviceName).toBe('svc');
    expect(spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '2Gi' } } } },
    ]);
    const container = spec.template.spec.containers[0];
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data' },
    ]);
    // A claim is a volumeClaimTemplate, not a pod volume.
    expect(spec.template.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });
});

describe('kind: CronJob', () => {
  const report = service(`
kind: CronJob
schedule: "0 3 * * *"
image: ghcr.io/acme/report:v1
builtHere: true
command: [/report, --nightly]
job: { concurrencyPolicy: Replace, timeZone: Europe/Berlin, backoffLimit: 2, activeDeadlineSeconds: 3600, restartPolicy: Never }`);

  it('runs the pod to completion on its schedule, without a Service or probes', () => {
    const { one, kinds } = synth(report);
    expect(kinds).toEqual(['ConfigMap/svc-config', 'CronJob/svc', 'ServiceAccount/svc']);
    const spec = one('CronJob').spec;
    expect(spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace' });
    expect(spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
    const pod = spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0]).toMatchObject({ name: 'svc', image: 'ghcr.io/acme/report:v1', command: ['/report', '--nightly'] });
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(one('CronJob').metadata.annotations).toBeUndefined();
  });

  it('forbids overlapping runs and restarts on failure by default', () => {
    const spec = synth(service(`kind: CronJob\nschedule: "@hourly"\nimage: busybox:1.37`)).one('CronJob').spec;
    expect(spec.concurrencyPolicy).toBe('Forbid');
    expect(spec.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
  });
});

describe('volumes', () => {
  it('mounts scratch space, ConfigMaps, Secrets and generated files where the main container asks', () => {
    const { one } = synth(
      service(`
image: ghcr.io/acme/api:v1
healthCommand: [x]
volumes:
  - { name: cache, mountPath: /var/cache, emptyDir: { medium: Memory, sizeLimit: 64Mi } }
  - { name: settings, mountPath: /etc/app, readOnly: true, configMap: { name: app-settings, items: [{ key: app.yaml, path: config.yaml }] } }
  - { name: tls, mountPath: /etc/tls, secret: { name: app-tls, defaultMode: 0o440 } }
  - { name: conf, mountPath: /usr/local/etc/redis/redis.conf, subPath: redis.conf, files: { redis.conf: config/redis.conf } }
  - { name: shared, emptyDir: {} }`),
      { files: new Map([['config/redis.conf', 'maxmemory 100mb\n']]) },
    );
    const pod = one('Deployment').spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'settings', configMap: { name: 'app-settings', items: [{ key: 'app.yaml', path: 'config.yaml' }] } },
      { name: 'tls', secret: { secretName: 'app-tls', defaultMode: 0o440 } },
      { name: 'conf', configMap: { name: 'svc-conf' } },
      { name: 'shared', emptyDir: {} },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'cache', mountPath: '/var/cache' },
      { name: 'settings', mountPath: '/etc/app', readOnly: true },
      { name: 'tls', mountPath: '/etc/tls' },
      { name: 'conf', mountPath: '/usr/local/etc/redis/redis.conf', subPath: 'redis.conf' },
    ]);
    expect(one('ConfigMap', 'svc-conf').data).toEqual({ 'redis.conf': 'maxmemory 100mb\n' });
  });

  it('rolls the pods when a generated file changes', () => {
    const withFile = service(`image: ghcr.io/acme/api:v1\nhealthCommand: [x]\nvolumes: [{ name: conf, mountPath: /etc/conf, files: { a.conf: a.conf } }]`);
    const hash = (text: string) =>
      synth(withFile, { files: new Map([['a.conf', text]]) }).one('Deployment').spec.template.metadata.annotations['dynenv.io/files-hash'];
    expect(hash('x=1')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash('x=1')).not.toBe(hash('x=2'));
  });
});

describe('initContainers', () => {
  const loadgen = service(`
image: ghcr.io/acme/loadgen:v1
builtHere: true
probes: { readiness: false }
volumes: [{ name: work, emptyDir: {} }]
initContainers:
  - name: frontend-check
    image: busybox:1.38.0
    command: [/bin/sh, -exc, "wget http://\${FRONTEND_ADDR}"]
    env: { FRONTEND_ADDR: "frontend:80", TOKEN: { secretKeyRef: { name: t, key: k } } }
    volumeMounts: [{ name: work, mountPath: /work }]
  - name: proxy
    image: ghcr.io/acme/proxy:2
    sidecar: true
    ports: [{ name: admin, containerPort: 9901 }]
    probes: { readiness: { http: { port: admin, path: /ready } } }`);

  it('runs init containers in order before the main container, with inline env and /tmp, and sidecars with restartPolicy Always', () => {
    const pod = synth(loadgen).one('Deployment').spec.template.spec;
    expect(pod.initContainers.map((container: any) => container.name)).toEqual(['frontend-check', 'proxy']);
    const [check, proxy] = pod.initContainers;
    expect(check).toMatchObject({
      image: 'docker.io/library/busybox:1.38.0',
      command: ['/bin/sh', '-exc', 'wget http://${FRONTEND_ADDR}'],
      env: [
        { name: 'FRONTEND_ADDR', value: 'frontend:80' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 't', key: 'k' } } },
      ],
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'work', mountPath: '/work' },
      ],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    });
    expect(check.restartPolicy).toBeUndefined();
    expect(check.readinessProbe).toBeUndefined();
    expect(proxy).toMatchObject({
      restartPolicy: 'Always',
      ports: [{ name: 'admin', containerPort: 9901 }],
      readinessProbe: { httpGet: { path: '/ready', port: 9901 } },
    });
  });
});

describe('pod settings', () => {
  it('runs as the configured user and group, with the pod metadata, identity and grace period asked for', () => {
    const { one } = synth(
      service(`
image: ghcr.io/acme/api:v1
healthCommand: [x]
securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 }
podAnnotations: { sidecar.istio.io/rewriteAppHTTPProbers: "true" }
podLabels: { team: shop }
terminationGracePeriodSeconds: 5
serviceAccount: { annotations: { iam.gke.io/gcp-service-account: api@p.iam.gserviceaccount.com } }`),
    );
    const template = one('Deployment').spec.template;
    expect(template.metadata).toEqual({
      labels: { team: 'shop', 'app.kubernetes.io/name': 'svc', 'app.kubernetes.io/part-of': 'shop' },
      annotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'true' },
    });
    expect(template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 2000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(template.spec.terminationGracePeriodSeconds).toBe(5);
    expect(template.spec.automountServiceAccountToken).toBe(false);
    expect(one('ServiceAccount').metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'api@p.iam.gserviceaccount.com' });
  });

  it('relaxes only what securityContext asks: root, escalation, added capabilities, a writable root file system', () => {
    const pod = synth(
      service(
        `
image: postgres:16
healthCommand: [pg_isready]
securityContext: { runAsUser: 0, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, capabilities: { add: [CHOWN, SETUID] } }`,
        `environments:\n${['dev', 'staging', 'prod', 'preview'].map((env) => `  ${env}: { podSecurity: baseline }`).join('\n')}\n`,
      ),
    ).one('Deployment').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0, fsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: true,
      capabilities: { drop: ['ALL'], add: ['CHOWN', 'SETUID'] },
      privileged: false,
      readOnlyRootFilesystem: false,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });
});
