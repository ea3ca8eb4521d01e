/**
 * Issue 11's fidelity test on Google's Online Boutique: its release manifest (vendored in examples/online-boutique/
 * upstream/) is imported with `dynenv init --from`, synthesized, validated, and dev, staging, prod and one pull
 * request's preview are rendered with the real Kustomize. Every workload and Service must match upstream as
 * callers and operators see it; the only differences allowed are the hardening dynenv adds, listed here.
 */
import { cp, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import type { ValidationReport } from '../../src/validate/validate-tree.ts';
import { dynenvInProcess as dynenv } from '../support/cli.ts';
import { importAndRender, pullRequestParameters } from '../support/imported-application.ts';
import { workloadDifferences, type AllowedDifferences } from '../support/workload-fidelity.ts';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';

const EXAMPLE = path.join(REPO_ROOT, 'examples/online-boutique');
const UPSTREAM_FILE = 'upstream/kubernetes-manifests.yaml';
const REPOSITORY = 'https://github.com/example-org/online-boutique.git';
const HEAD_SHA = '9f1c2d3e4b5a69788796a5b4c3d2e1f0a9b8c7d6';
const BUILT_HERE = new Set(
  [
    'frontend',
    'adservice',
    'currencyservice',
    'cartservice',
    'loadgenerator',
    'recommendationservice',
    'checkoutservice',
    'emailservice',
    'paymentservice',
    'shippingservice',
    'productcatalogservice',
  ].map((name) => `us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/${name}`),
);

/** The hardening dynenv adds, and nothing else, may tell the rendered environments from upstream. */
const HARDENING: AllowedDifferences = {
  // The root file system stays read-only; every container gets an emptyDir at /tmp to write temporary files.
  addedMountPaths: ['/tmp'],
  // HOME on the writable /tmp (the image's home is on the read-only root file system), unless upstream sets HOME.
  addedEnv: { HOME: '/tmp' },
  // Nothing: literal env moves into the service's ConfigMap `<service>-config` (hashed onto the pod), which the
  // comparison reads through. A preview's pods also read its identity (ConfigMap dynenv-preview).
  addedEnvFromConfigMaps: [],
  // A LoadBalancer Service per environment becomes `ingress: true`: an Ingress on each environment's host.
  servicesReplacedByIngress: ['frontend-external'],
  builtImagesRetagged: false,
  builtImages: BUILT_HERE,
};
// Not compared, as hardening: the main container's name (the service's), pod and Service labels and selectors
// (app.kubernetes.io/name, part-of; upstream's `app` label is kept on the pods), container port names (the
// Service port's), securityContext (seccomp RuntimeDefault, runAsNonRoot), the ServiceAccount token not mounted.

const upstream: Array<Record<string, any>> = [];
let rendered: ReadonlyMap<string, KubernetesObject[]>;
let initOutput: string;
let importedText: string;
let report: ValidationReport;

beforeAll(async () => {
  const dir = await tempDir('dynenv-boutique-');
  await mkdir(path.join(dir, 'upstream'));
  await cp(path.join(EXAMPLE, UPSTREAM_FILE), path.join(dir, UPSTREAM_FILE));
  for (const document of parseAllDocuments(await readFile(path.join(EXAMPLE, UPSTREAM_FILE), 'utf8'))) {
    const object = document.toJS();
    if (object) upstream.push(object);
  }
  const imported = await importAndRender(
    dir,
    [UPSTREAM_FILE],
    'online-boutique',
    REPOSITORY,
    pullRequestParameters('online-boutique', 'example-org/online-boutique', 7, HEAD_SHA),
  );
  ({ rendered, initOutput, report } = imported);
  importedText = imported.configText;
}, 180_000);

describe('Online Boutique imported with dynenv init --from', () => {
  it('says what it did with every object of the manifest', () => {
    for (const object of upstream) expect(initOutput).toContain(`${object.kind}/${object.metadata.name} →`);
    expect(initOutput).toMatch(/Service\/frontend-external → ingress: true on service frontend/);
  });

  it('synthesizes and validates with no hand edit: no error, and the never-promoted staging and prod are warnings', () => {
    expect(report.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    const unpromoted = (environment: string) =>
      report.findings.filter((finding) => finding.rule === 'pinned-images' && finding.scope === environment && /not promoted/.test(finding.message)).length;
    expect(unpromoted('staging')).toBe(BUILT_HERE.size);
    expect(unpromoted('prod')).toBe(BUILT_HERE.size);
  });

  for (const environment of ['dev', 'staging', 'prod']) {
    it(`renders ${environment} with every workload and Service as upstream has it, but for dynenv's hardening`, () => {
      expect(workloadDifferences(upstream, rendered.get(environment)!, HARDENING)).toEqual([]);
    });
  }

  it("renders a pull request's preview as upstream, running the pull request's build of the images built here", () => {
    const preview = rendered.get('preview')!;
    expect(workloadDifferences(upstream, preview, { ...HARDENING, builtImagesRetagged: true, addedEnvFromConfigMaps: ['dynenv-preview'] })).toEqual([]);
    const images = preview.flatMap((object: any) => object.spec?.template?.spec?.containers ?? []).map((container: any) => container.image as string);
    // Built here: the pull request's build (preview.imageTag, "sha-{{head_sha}}"); third-party: as upstream wrote it.
    expect(images.filter((image) => !image.startsWith('docker.io/')).sort()).toEqual(
      [...BUILT_HERE].map((repository) => `${repository}:sha-${HEAD_SHA}`).sort(),
    );
    expect(images.filter((image) => image.startsWith('docker.io/'))).toEqual(['docker.io/library/redis:alpine']);
  });

  it('fails the comparison when a port, a probe or an env value differs (the comparison is not blind)', () => {
    const broken = structuredClone(upstream);
    const email = broken.find((object) => object.kind === 'Service' && object.metadata.name === 'emailservice')!;
    email.spec.ports[0].port = 5001;
    const cart = broken.find((object) => object.kind === 'Deployment' && object.metadata.name === 'cartservice')!;
    cart.spec.template.spec.containers[0].readinessProbe.grpc.port = 7071;
    cart.spec.template.spec.containers[0].env[0].value = 'redis-cart:6380';
    expect(workloadDifferences(broken, rendered.get('prod')!, HARDENING)).toEqual([
      expect.stringContaining('Deployment/cartservice main container literal env'),
      expect.stringContaining('Deployment/cartservice main container readinessProbe'),
      expect.stringContaining('Service/emailservice ports'),
    ]);
  });
});

describe('examples/online-boutique', () => {
  it('is that import, tuned only where the import says so (the hosts of the Ingress that replaces frontend-external)', async () => {
    const example = parse(await readFile(path.join(EXAMPLE, 'dynenv.yaml'), 'utf8'));
    const fresh = parse(importedText);
    for (const environment of ['dev', 'staging', 'prod']) {
      expect(example.environments[environment].host).toMatch(/example\.com$/);
      delete example.environments[environment];
    }
    expect(example.preview.host).toContain('{{number}}');
    delete example.preview;
    expect(example).toEqual(fresh);
  });

  it('has its gitops/ synthesized from its dynenv.yaml', async () => {
    const check = await dynenv(EXAMPLE, ['synth', '--check']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
  }, 60_000);
});
