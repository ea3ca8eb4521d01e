/**
 * The workload model through the overlays, rendered by real Kustomize: a service switched off in one environment,
 * the size and StorageClass of a StatefulSet's claims, scheduling and a CronJob's schedule per environment, an
 * autoscaled StatefulSet, and files of the repository in a ConfigMap.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import type { ValidationReport } from '../../src/validate/validate-tree.ts';
import { FIXTURE_DIGEST as digest, find, synthesizeAndRender, validateSynthesized } from '../support/synthesized-fixture.ts';
import { tempDir } from '../support/workspace.ts';

const CONFIG = `app: shop
repository: { url: https://github.com/acme/shop.git }
argocd: { plugin: { image: "ghcr.io/acme/dynenv:1.0" } }
services:
  - name: web
    image: ghcr.io/acme/web:v1
    builtHere: true
    port: 8080
    healthPath: /healthz
    scheduling: { nodeSelector: { kubernetes.io/arch: amd64 } }
  - name: cache
    kind: StatefulSet
    image: redis:7.4-alpine
    ports: [{ name: tcp-redis, containerPort: 6379 }]
    probes: { readiness: { tcp: { port: tcp-redis } } }
    volumes:
      - { name: data, mountPath: /data, persistent: { size: 1Gi } }
      - { name: conf, mountPath: /usr/local/etc/redis, files: { redis.conf: config/redis.conf } }
  - name: report
    kind: CronJob
    schedule: "0 3 * * *"
    image: ghcr.io/acme/web:v1
    builtHere: true
    command: [/report]
environments:
  dev:
    storageClass: standard
    services:
      report: { enabled: false }
  staging:
    scheduling: { tolerations: [{ key: spot, operator: Exists, effect: NoSchedule }] }
  prod:
    services:
      web: { digest: "${digest}", scheduling: { nodeSelector: { pool: web } } }
      cache: { storage: { data: { size: 20Gi, storageClass: premium } }, autoscaling: { minReplicas: 1, maxReplicas: 3 } }
      report: { schedule: "30 2 * * *" }
  preview:
    services:
      report: { suspend: true }
`;

let rendered: Map<string, KubernetesObject[]>;
let report: ValidationReport;
let bare: ValidationReport;
beforeAll(async () => {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'config'));
  await writeFile(path.join(dir, 'config/redis.conf'), 'maxmemory 64mb\n');
  rendered = await synthesizeAndRender(dir, CONFIG);
  report = await validateSynthesized(dir);
  bare = await validateSynthesized(dir, { unpinnedImages: false });
}, 90_000);
const objects = (environment: string) => rendered.get(environment)! as any[];

describe('the workload model through the overlays', () => {
  it('leaves a switched-off service out of that environment entirely', () => {
    expect(objects('dev').filter((object) => object.metadata.name === 'report' || object.metadata.name === 'report-config')).toEqual([]);
    expect(find(objects('staging'), 'CronJob', 'report').spec.schedule).toBe('0 3 * * *');
  });

  it('claims each environment\'s size and StorageClass for a StatefulSet', () => {
    const claim = (environment: string) =>
      find(objects(environment), 'StatefulSet', 'cache').spec.volumeClaimTemplates.map((template: any) => ({ name: template.metadata.name, spec: template.spec }));
    expect(claim('dev')).toEqual([{ name: 'data', spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } } }]);
    expect(claim('prod')).toEqual([{ name: 'data', spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'premium', resources: { requests: { storage: '20Gi' } } } }]);
    expect(claim('staging')[0].spec.storageClassName).toBeUndefined();
  });

  it('autoscales a StatefulSet by its own kind, and leaves its replicas to the autoscaler', () => {
    const autoscaler = find(objects('prod'), 'HorizontalPodAutoscaler', 'cache');
    expect(autoscaler.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'cache' });
    expect(find(objects('prod'), 'StatefulSet', 'cache').spec.replicas).toBeUndefined();
  });

  it('schedules the pods where each environment says, most specific setting first, field by field', () => {
    const pod = (environment: string) => find(objects(environment), 'Deployment', 'web').spec.template.spec;
    expect(pod('dev').nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
    expect(pod('dev').tolerations).toBeUndefined();
    expect(pod('staging')).toMatchObject({ nodeSelector: { 'kubernetes.io/arch': 'amd64' }, tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(pod('prod').nodeSelector).toEqual({ pool: 'web' });
  });

  it("runs a CronJob on each environment's schedule, suspended where asked", () => {
    expect(find(objects('prod'), 'CronJob', 'report').spec).toMatchObject({ schedule: '30 2 * * *', suspend: false });
    expect(find(objects('preview'), 'CronJob', 'report').spec.suspend).toBe(true);
  });

  it('puts files of the repository in a ConfigMap, and pins only what an environment pins', () => {
    expect(find(objects('dev'), 'ConfigMap', 'cache-conf').data).toEqual({ 'redis.conf': 'maxmemory 64mb\n' });
    expect(find(objects('dev'), 'StatefulSet', 'cache').spec.template.spec.containers[0].image).toBe('docker.io/library/redis:7.4-alpine');
    expect(find(objects('staging'), 'Deployment', 'web').spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:v1');
    const prodImages = objects('prod').flatMap((object) => {
      const spec = object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec?.template?.spec;
      return spec ? spec.containers.map((container: any) => `${object.kind}/${container.image}`) : [];
    });
    expect(prodImages.sort()).toEqual([`CronJob/ghcr.io/acme/web@${digest}`, `Deployment/ghcr.io/acme/web@${digest}`, 'StatefulSet/docker.io/library/redis:7.4-alpine']);
  });
});

describe('validate on that tree', () => {
  it('passes, warning about each image staging and prod run by tag until a digest is pinned', () => {
    expect(report.findings.filter((item) => item.severity === 'error')).toEqual([]);
    const pinning = report.findings.filter((item) => item.rule === 'pinned-images');
    expect(pinning.map((item) => `${item.scope} ${item.kind}/${item.name}: ${item.message} | ${item.fix}`)).toEqual([
      'staging CronJob/report: image "ghcr.io/acme/web:v1" is pinned by tag only: tag "v1" can be moved to another image: not promoted to staging yet: the tag its image names in dynenv.yaml (v1) runs until a digest is pinned | pin a digest: npx dynenv promote --service report --to staging --digest sha256:<digest CI built>',
      'staging Deployment/web: image "ghcr.io/acme/web:v1" is pinned by tag only: tag "v1" can be moved to another image: not promoted to staging yet: the tag its image names in dynenv.yaml (v1) runs until a digest is pinned | pin a digest: npx dynenv promote --service web --to staging --digest sha256:<digest CI built>',
      'staging StatefulSet/cache: image "docker.io/library/redis:7.4-alpine" is pinned by tag only: tag "7.4-alpine" can be moved to another image: a third-party image written with a tag only in dynenv.yaml | pin its digest in dynenv.yaml: image: docker.io/library/redis:7.4-alpine@sha256:<digest>',
      'prod StatefulSet/cache: image "docker.io/library/redis:7.4-alpine" is pinned by tag only: tag "7.4-alpine" can be moved to another image: a third-party image written with a tag only in dynenv.yaml | pin its digest in dynenv.yaml: image: docker.io/library/redis:7.4-alpine@sha256:<digest>',
    ]);
    // Without dynenv.yaml's word for them, the same tags are errors.
    expect(bare.findings.filter((item) => item.rule === 'pinned-images').every((item) => item.severity === 'error')).toBe(true);
    expect(bare.ok).toBe(false);
  });
});

describe('repository files', () => {
  it('refuses a file that is missing, outside the folder of dynenv.yaml through a link, or not text', async () => {
    const { symlink } = await import('node:fs/promises');
    const outside = await tempDir();
    await writeFile(path.join(outside, 'secret'), 'x');
    const dir = await tempDir();
    await writeFile(path.join(dir, 'binary'), Buffer.from([0xff, 0xfe, 0x00]));
    await symlink(path.join(outside, 'secret'), path.join(dir, 'link'));
    await writeFile(
      path.join(dir, 'dynenv.yaml'),
      CONFIG.replace('files: { redis.conf: config/redis.conf }', 'files: { a: missing.conf, b: link, c: binary }'),
    );
    await expect(loadConfig(path.join(dir, 'dynenv.yaml'), 'dynenv.yaml')).rejects.toMatchObject({
      problems: [
        'dynenv.yaml:18:65: services.cache.volumes.conf.files.a: cannot read missing.conf: no such file',
        'dynenv.yaml:18:82: services.cache.volumes.conf.files.b: link leads outside the folder of dynenv.yaml (through a symbolic link): its text would be committed into gitops/',
        'dynenv.yaml:18:91: services.cache.volumes.conf.files.c: cannot read binary: not UTF-8 text',
      ],
    });
  });
});
