/**
 * `dynenv init`: the starter, and `--from` on manifests that use what Online Boutique does not (a StatefulSet with
 * a claim template, a CronJob mounting a ConfigMap, an HPA, a second Service, Secret references, a field dynenv.yaml
 * has no word for). It never overwrites, and bad input names the file, line and object.
 */
import { mkdir, readFile, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { initConfig } from '../../src/import/init-config.ts';
import { externalObjects } from '../../src/validate/external-objects.ts';
import { unpinnedImages } from '../../src/validate/unpinned-images.ts';
import { validateTree } from '../../src/validate/validate-tree.ts';
import { dynenvInProcess as dynenv } from '../support/cli.ts';
import { tempDir } from '../support/workspace.ts';

const MANIFESTS = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 2
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      securityContext: { runAsUser: 999, fsGroup: 999 }
      containers:
        - name: postgres
          image: postgres:16.4
          ports: [{ containerPort: 5432, name: pg }]
          env:
            - { name: POSTGRES_PASSWORD, valueFrom: { secretKeyRef: { name: db-credentials, key: password } } }
          readinessProbe: { exec: { command: [pg_isready] }, periodSeconds: 5 }
          volumeMounts: [{ name: data, mountPath: /var/lib/postgresql/data, subPath: pgdata }]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], storageClassName: fast, resources: { requests: { storage: 5Gi } } }
---
apiVersion: v1
kind: Service
metadata: { name: db }
spec: { clusterIP: None, selector: { app: db }, ports: [{ name: postgres, port: 5432, targetPort: pg }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: vacuum }
spec:
  schedule: "0 4 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: vacuum
              image: postgres:16.4
              command: [vacuumdb, --all]
              volumeMounts: [{ name: settings, mountPath: /etc/vacuum }]
          volumes: [{ name: settings, configMap: { name: vacuum-settings } }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: vacuum-settings }
data: { vacuum.conf: "analyze = true\\n" }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: db }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: db }
  minReplicas: 2
  maxReplicas: 4
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } } }]
---
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.2.0
          ports: [{ containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /healthz, port: 8080 } }
          resources: { requests: { cpu: 50m, memory: 64Mi }, limits: { memory: 128Mi } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { name: http } } } }] } }]
`;

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('dynenv-init-');
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

async function synthesizeAndValidate(dir: string) {
  const configFile = path.join(dir, 'dynenv.yaml');
  await synthesize({ configFile, outDir: path.join(dir, 'gitops') });
  const config = await loadConfig(configFile);
  const report = await validateTree({ directory: path.join(dir, 'gitops'), external: externalObjects(config), unpinnedImages: unpinnedImages(config) });
  return report.findings.filter((finding) => finding.severity === 'error');
}

describe('dynenv init', () => {
  it('writes a commented starter that synthesizes and validates as it is, Argo CD objects included', async () => {
    const dir = await folderWith({});
    const result = await dynenv(dir, ['init', '--app', 'shop', '--repository', 'https://github.com/acme/shop.git']);
    expect(result.code).toBe(0);
    const text = await readFile(path.join(dir, 'dynenv.yaml'), 'utf8');
    expect(text).toMatch(/^# dynenv\.yaml of shop/);
    expect(parse(text).argocd.plugin.image).toBe('ghcr.io/acme/dynenv:0.1.0');
    expect(await synthesizeAndValidate(dir)).toEqual([]);
    expect(await readdir(path.join(dir, 'gitops'))).toEqual(['argocd', 'base', 'overlays']);
  }, 60_000);

  it('imports a StatefulSet with a claim template, a CronJob mounting a ConfigMap, an HPA and Secret references', async () => {
    const dir = await folderWith({ 'deploy/app.yaml': MANIFESTS });
    const result = await initConfig({ configFile: path.join(dir, 'dynenv.yaml'), from: ['deploy'], cwd: dir, app: 'shop' });
    const config = parse(await readFile(path.join(dir, 'dynenv.yaml'), 'utf8'));
    const [db, vacuum] = config.services;
    expect(db).toMatchObject({
      name: 'db',
      kind: 'StatefulSet',
      image: 'postgres:16.4',
      ports: [{ name: 'postgres', containerPort: 5432 }],
      probes: { readiness: { exec: { command: ['pg_isready'] }, periodSeconds: 5 } },
      env: { POSTGRES_PASSWORD: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
      volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', subPath: 'pgdata', persistent: { size: '5Gi', storageClass: 'fast' } }],
      securityContext: { runAsUser: 999, fsGroup: 999, readOnlyRootFilesystem: false },
      podLabels: { app: 'db' },
    });
    expect(vacuum).toMatchObject({
      name: 'vacuum',
      kind: 'CronJob',
      schedule: '0 4 * * *',
      job: { backoffLimit: 2 },
      command: ['vacuumdb', '--all'],
      volumes: [{ name: 'settings', mountPath: '/etc/vacuum', files: { 'vacuum.conf': 'config/vacuum-settings/vacuum.conf' } }],
    });
    expect(await readFile(path.join(dir, 'config/vacuum-settings/vacuum.conf'), 'utf8')).toBe('analyze = true\n');
    for (const environment of ['dev', 'staging', 'prod']) {
      expect(config.environments[environment].services.db).toEqual({ replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 60 } });
    }
    expect(config.external).toEqual({ secrets: ['db-credentials'] });
    expect(result.report).toMatch(/deploy\/app\.yaml:\d+ Namespace\/shop → left out/);
    expect(result.report).toMatch(/deploy\/app\.yaml:\d+ HorizontalPodAutoscaler\/db → environments\.\{dev,staging,prod\}\.services\.db\.autoscaling/);
    expect(config.services[2]).toMatchObject({
      name: 'web',
      image: 'ghcr.io/acme/web:1.2.0',
      ports: [{ name: 'http', containerPort: 8080, port: 80 }],
      ingress: true,
    });
    expect(config.services[2].builtHere).toBeUndefined(); // a lone image: third-party, runs as written
    expect(result.report).toMatch(/Ingress\/web → ingress: true on service web: set environments\.<env>\.host \(upstream's: shop\.example\.com\)/);
    expect(result.written).toEqual(['config/vacuum-settings/vacuum.conf', 'dynenv.yaml']);
    expect(await synthesizeAndValidate(dir)).toEqual([]);
  });

  it('never overwrites: an existing dynenv.yaml is an error and stays as it was', async () => {
    const dir = await folderWith({ 'dynenv.yaml': 'app: mine\n', 'app.yaml': MANIFESTS });
    const result = await dynenv(dir, ['init', '--from', 'app.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/dynenv\.yaml already exists: dynenv init never overwrites it/);
    expect(await readFile(path.join(dir, 'dynenv.yaml'), 'utf8')).toBe('app: mine\n');
  });

  it('writes nothing when a file it would write beside dynenv.yaml exists', async () => {
    const dir = await folderWith({ 'app.yaml': MANIFESTS, 'config/vacuum-settings/vacuum.conf': 'mine\n' });
    await expect(initConfig({ configFile: path.join(dir, 'dynenv.yaml'), from: ['app.yaml'], cwd: dir })).rejects.toThrow(
      /config\/vacuum-settings\/vacuum\.conf already exists: dynenv init never overwrites a file, so nothing was written/,
    );
    expect((await readdir(dir)).sort()).toEqual(['app.yaml', 'config']);
    expect(await readFile(path.join(dir, 'config/vacuum-settings/vacuum.conf'), 'utf8')).toBe('mine\n');
  });

  it.each([
    ['invalid YAML', 'kind: Deployment\nmetadata: { name: [a\n', /^bad\.yaml:\d+: invalid YAML/],
    ['an object without kind', 'apiVersion: v1\nmetadata: { name: x }\n', /^bad\.yaml:1: expected a Kubernetes object: "kind" is missing/],
    [
      'a Deployment without containers',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec: { template: { spec: {} } }\n',
      /^bad\.yaml:1 Deployment\/web: has no containers/,
    ],
    [
      'an image dynenv cannot read',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec: { template: { spec: { containers: [{ name: a, image: "Web:1" }] } } }\n',
      /^bad\.yaml:1 Deployment\/web: image "Web:1": expected lower-case/,
    ],
    [
      'two objects of one name',
      'apiVersion: v1\nkind: Service\nmetadata: { name: a }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: a }\n',
      /^bad\.yaml:5 Service\/a: a second Service\/a \(the first is at bad\.yaml:1\)/,
    ],
  ])('refuses %s, naming the file, line and object, and writes nothing', async (_case, text, message) => {
    const dir = await folderWith({ 'bad.yaml': text });
    await expect(initConfig({ configFile: path.join(dir, 'dynenv.yaml'), from: ['bad.yaml'], cwd: dir })).rejects.toThrow(message);
    expect(await readdir(dir)).toEqual(['bad.yaml']);
  });

  it('takes several files and folders after --from, and reports objects in the order of the input', async () => {
    const [statefulSet, ...rest] = MANIFESTS.split('\n---\n');
    const dir = await folderWith({ 'db.yaml': statefulSet!, 'more/rest.yaml': rest.join('\n---\n') });
    const result = await dynenv(dir, ['init', '--from', 'db.yaml', 'more', '--app', 'shop']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const objects = result.stdout
      .split('\n')
      .filter((line) => line.includes(' → '))
      .map((line) => line.split(' → ')[0]);
    expect(objects[0]).toBe('db.yaml:1 StatefulSet/db');
    expect(objects.slice(1).every((object) => object!.startsWith('more/rest.yaml:'))).toBe(true);
    expect(parse(await readFile(path.join(dir, 'dynenv.yaml'), 'utf8')).services.map((service: { name: string }) => service.name)).toEqual([
      'db',
      'vacuum',
      'web',
    ]);
  });

  it('exits 1 with the reason for a path that does not exist', async () => {
    const dir = await folderWith({});
    const result = await dynenv(dir, ['init', '--from', 'missing/']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('dynenv init: missing/: no such file or folder\n');
  });
});
