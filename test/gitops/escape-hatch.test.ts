/**
 * The escape hatch (issue 11 item 2): patches from dynenv.yaml per service and per environment, and the user's own
 * files in `overlays/<env>/extra/`, through synth, real Kustomize and validate.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustomizeBuild } from '../../src/gitops/kustomize-build.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { problems, withService } from '../support/config-problems.ts';
import { FIXTURE_DIGEST as digest, find, synthesizeAndRender, validateSynthesized as validate } from '../support/synthesized-fixture.ts';
import { tempDir } from '../support/workspace.ts';

const CONFIG = `app: shop
repository: { url: https://github.com/acme/shop.git }
argocd: { plugin: { image: "ghcr.io/acme/dynenv:1.0" } }
services:
  - name: web
    image: ghcr.io/acme/web
    port: 8080
    healthPath: /healthz
    patches:
      - patch: { spec: { template: { spec: { hostAliases: [{ ip: 10.0.0.1, hostnames: [legacy.internal] }] } } } }
      - jsonPatch: [{ op: add, path: /spec/template/metadata/labels/answer, value: "y" }]
environments:
  dev:
    imageTag: main
  staging:
    services: { web: { digest: "${digest}" } }
  prod:
    services:
      web:
        digest: "${digest}"
        patches: [{ patch: { spec: { template: { spec: { containers: [{ name: web, args: [--prod] }] } } } } }]
    patches:
      - target: { kind: Service, name: web }
        patch: { metadata: { annotations: { service.beta.kubernetes.io/aws-load-balancer-internal: "true" } } }
`;

const EXTRA_CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: feature-flags
data:
  checkout: "on"
`;

let dir: string;
let rendered: Map<string, any[]>;
beforeAll(async () => {
  // Shared by the tests below (tempDir() folders go after each test).
  dir = await mkdtemp(path.join(tmpdir(), 'dynenv-escape-hatch-'));
  await mkdir(path.join(dir, 'gitops/overlays/dev/extra'), { recursive: true });
  await writeFile(path.join(dir, 'gitops/overlays/dev/extra/feature-flags.yaml'), EXTRA_CONFIGMAP);
  await writeFile(path.join(dir, 'gitops/overlays/dev/extra/README.md'), 'Our own objects for dev.\n');
  rendered = await synthesizeAndRender(dir, CONFIG);
}, 90_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('patches from dynenv.yaml', () => {
  it("applies a service's patches in every environment, strategic merge and JSON 6902, strings kept as strings", () => {
    for (const environment of ['dev', 'staging', 'prod', 'preview']) {
      const pod = find(rendered.get(environment)!, 'Deployment', 'web').spec.template;
      expect(pod.spec.hostAliases).toEqual([{ ip: '10.0.0.1', hostnames: ['legacy.internal'] }]);
      expect(pod.metadata.labels.answer).toBe('y');
      // The merge kept what dynenv wrote: the container is still there, with its probe.
      expect(pod.spec.containers[0]).toMatchObject({ name: 'web', readinessProbe: { httpGet: { path: '/healthz' } } });
    }
  });

  it("applies an environment's patches there only, after dynenv's own, on the workload or any object it names", () => {
    const prodContainer = find(rendered.get('prod')!, 'Deployment', 'web').spec.template.spec.containers[0];
    expect(prodContainer.args).toEqual(['--prod']);
    expect(prodContainer.image).toBe(`ghcr.io/acme/web@${digest}`);
    expect(find(rendered.get('prod')!, 'Service', 'web').metadata.annotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' });
    expect(find(rendered.get('staging')!, 'Deployment', 'web').spec.template.spec.containers[0].args).toBeUndefined();
    expect(find(rendered.get('staging')!, 'Service', 'web').metadata.annotations ?? {}).not.toHaveProperty('service.beta.kubernetes.io/aws-load-balancer-internal');
  });

  it('writes each patch as a file under patches/, listed after dynenv\'s with its target', async () => {
    const kustomization = await readFile(path.join(dir, 'gitops/overlays/prod/kustomization.yaml'), 'utf8');
    expect(kustomization).toContain(
      ['  - path: patches/user-01-deployment-web.yaml', '    target:', '      kind: Deployment', '      name: web', '  - path: patches/user-02-service-web.yaml'].join('\n'),
    );
    expect(kustomization.indexOf('patches/deployment-web.yaml')).toBeLessThan(kustomization.indexOf('patches/user-01-deployment-web.yaml'));
    const base = await readFile(path.join(dir, 'gitops/base/web/kustomization.yaml'), 'utf8');
    expect(base).toContain('patches/user-02-deployment-web.yaml');
  });
});

describe('the user\'s own files in overlays/<env>/extra/', () => {
  it('lists its YAML files in the overlay, so Argo CD deploys them into the environment', () => {
    expect(find(rendered.get('dev')!, 'ConfigMap', 'feature-flags')).toMatchObject({ metadata: { namespace: 'shop-dev' }, data: { checkout: 'on' } });
    expect(rendered.get('staging')!.some((object) => object.metadata.name === 'feature-flags')).toBe(false);
  });

  it('never changes or deletes them, and synth --check stays clean', async () => {
    const again = await synthesize({ configFile: path.join(dir, 'dynenv.yaml'), outDir: path.join(dir, 'gitops') });
    // Not even in the note of files synth left alone: the folder is the user's by design.
    expect(again).toEqual({ added: [], changed: [], removed: [], foreign: [] });
    expect(await readFile(path.join(dir, 'gitops/overlays/dev/extra/feature-flags.yaml'), 'utf8')).toBe(EXTRA_CONFIGMAP);
    expect(await readFile(path.join(dir, 'gitops/overlays/dev/extra/README.md'), 'utf8')).toBe('Our own objects for dev.\n');
  });

  it('includes the folder as one resource when it holds a kustomization of its own', async () => {
    const own = await tempDir();
    await writeFile(path.join(own, 'dynenv.yaml'), CONFIG);
    await mkdir(path.join(own, 'gitops/overlays/staging/extra'), { recursive: true });
    await writeFile(path.join(own, 'gitops/overlays/staging/extra/kustomization.yaml'), 'resources: [flags.yaml]\n');
    await writeFile(path.join(own, 'gitops/overlays/staging/extra/flags.yaml'), EXTRA_CONFIGMAP);
    await synthesize({ configFile: path.join(own, 'dynenv.yaml'), outDir: path.join(own, 'gitops') });
    const kustomization = await readFile(path.join(own, 'gitops/overlays/staging/kustomization.yaml'), 'utf8');
    expect(kustomization).toMatch(/\n {2}- extra\n/);
    expect(find(await kustomizeBuild(path.join(own, 'gitops/overlays/staging')), 'ConfigMap', 'feature-flags').metadata.namespace).toBe('shop-staging');
  });
});

describe('validate checks what the escape hatch adds like everything else', () => {
  it('passes the tree above', async () => {
    const report = await validate(dir);
    expect(report.findings.filter((item) => item.severity === 'error')).toEqual([]);
  });

  it('reports a patch whose target the overlay does not have, a patch that removes a probe, and a bad extra object', async () => {
    const broken = await tempDir();
    await writeFile(
      path.join(broken, 'dynenv.yaml'),
      CONFIG.replace('target: { kind: Service, name: web }', 'target: { kind: Service, name: wbe }').replace(
        '      - jsonPatch: [{ op: add',
        '      - jsonPatch: [{ op: remove, path: /spec/template/spec/containers/0/readinessProbe }]\n      - jsonPatch: [{ op: add',
      ),
    );
    await mkdir(path.join(broken, 'gitops/overlays/dev/extra'), { recursive: true });
    await writeFile(
      path.join(broken, 'gitops/overlays/dev/extra/tool.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: tool }\nspec:\n  selector: { matchLabels: { app: tool } }\n  template:\n    metadata: { labels: { app: tool } }\n    spec: { containers: [{ name: tool, image: "busybox@sha256:' + 'a'.repeat(64) + '" }] }\n',
    );
    await synthesize({ configFile: path.join(broken, 'dynenv.yaml'), outDir: path.join(broken, 'gitops') });
    const report = await validate(broken);
    const errors = report.findings.filter((item) => item.severity === 'error');
    expect(errors.filter((item) => item.rule === 'patch-target').map((item) => `${item.scope}: ${item.message}`)).toEqual([
      'prod: the patch patches/user-02-service-wbe.yaml (listed in kustomization.yaml) targets Service "wbe", which prod does not have: kustomize applies it to nothing',
    ]);
    const probes = report.findings.filter((item) => item.rule === 'readiness-probe').map((item) => `${item.scope} ${item.kind}/${item.name}`);
    expect(probes).toEqual(expect.arrayContaining(['dev Deployment/web', 'prod Deployment/web', 'dev Deployment/tool']));
    expect(errors.some((item) => item.rule === 'resources' && item.scope === 'dev' && item.name === 'tool')).toBe(true);
    expect(report.ok).toBe(false);
  });
});

describe('bad patches in dynenv.yaml', () => {
  const at = (field: string, message: string) => `dynenv.yaml: services[0].${field}: ${message}`;
  const cases: Array<[string, string, string[]]> = [
    ['neither patch nor jsonPatch', 'port: 8080\npatches: [{ target: { kind: Service, name: api } }]', [at('patches[0]', 'expected "patch" or "jsonPatch"')]],
    [
      'both',
      'port: 8080\npatches: [{ patch: { spec: {} }, jsonPatch: [{ op: remove, path: /spec/replicas }] }]',
      [at('patches[0]', 'expected one of "patch" or "jsonPatch", got both')],
    ],
    [
      'an operation that is not JSON 6902, and an add without a value',
      'port: 8080\npatches: [{ jsonPatch: [{ op: delete, path: /spec }, { op: add, path: /spec/paused }] }]',
      [at('patches[0].jsonPatch[0].op', 'expected one of "add", "remove", "replace", "move", "copy", "test", got "delete"'), at('patches[0].jsonPatch[1].value', '"add" needs a value')],
    ],
    ['a path that is not a JSON pointer', 'port: 8080\npatches: [{ jsonPatch: [{ op: remove, path: spec.replicas }] }]', [
      at('patches[0].jsonPatch[0].path', 'expected a JSON pointer such as "/spec/template/spec/hostAliases" ("~0" for "~", "~1" for "/"), got "spec.replicas"'),
    ]],
    [
      'the kind and name in the patch itself',
      'port: 8080\npatches: [{ patch: { kind: Deployment, metadata: { name: api } } }]',
      [at('patches[0].patch.kind', 'comes from "target": leave it out of the patch'), at('patches[0].patch.metadata.name', 'comes from "target" and the environment: leave it out of the patch')],
    ],
    [
      'a kind dynenv does not know, without its apiVersion',
      'port: 8080\npatches: [{ target: { kind: Certificate, name: api }, patch: { spec: {} } }]',
      [at('patches[0].target.apiVersion', 'required for kind Certificate, e.g. "cert-manager.io/v1" (dynenv knows the apiVersion of the kinds it writes only)')],
    ],
  ];
  it.each(cases)('refuses %s, naming the service and the field', (_, fields, expected) => {
    expect(problems(withService(`healthPath: /healthz\n${fields}`))).toEqual(expected);
  });

  it('requires a target for an environment-wide patch', () => {
    const text = withService('port: 8080').replace('  dev: { imageTag: main }', '  dev: { imageTag: main, patches: [{ patch: { spec: {} } }] }');
    expect(problems(text)).toEqual(['dynenv.yaml: environments.dev.patches[0].target: missing, expected a map']);
  });
});
