/**
 * Issue 11's fidelity test on a second real application: an Elasticsearch cluster (pires/kubernetes-elasticsearch-
 * cluster, vendored in test/fixtures/) with master and data StatefulSets, each with a persistent volume per pod and
 * a privileged init container, four Services of its own naming, and a nightly curator CronJob that mounts a
 * ConfigMap. Imported with `dynenv init --from`, synthesized, validated and rendered with the real Kustomize, every
 * workload and Service must match upstream but for the hardening listed here.
 */
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import type { ValidationReport } from '../../src/validate/validate-tree.ts';
import { importAndRender, pullRequestParameters } from '../support/imported-application.ts';
import { workloadDifferences, type AllowedDifferences } from '../support/workload-fidelity.ts';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/kubernetes-elasticsearch-cluster');
const HEAD_SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d';
const UPSTREAM_FILES = [
  'es-curator.yaml',
  'es-curator-config.yaml',
  'es-discovery-svc.yaml',
  'es-svc.yaml',
  'stateful/es-data-stateful.yaml',
  'stateful/es-data-svc.yaml',
  'stateful/es-master-stateful.yaml',
  'stateful/es-master-svc.yaml',
];

/** The hardening dynenv adds, and nothing else, may tell the rendered environments from upstream. */
const HARDENING: AllowedDifferences = {
  // Every container gets an emptyDir at /tmp (init containers included).
  addedMountPaths: ['/tmp'],
  // HOME on the writable /tmp (the image's home is on the read-only root file system), unless upstream sets HOME.
  addedEnv: { HOME: '/tmp' },
  addedEnvFromConfigMaps: [],
  servicesReplacedByIngress: [],
  builtImagesRetagged: false,
  // The images of quay.io/pires share a registry folder: the application's own.
  builtImages: new Set(['quay.io/pires/docker-elasticsearch-kubernetes', 'quay.io/pires/docker-elasticsearch-curator']),
};
// Not compared, as hardening: container names of the main containers (the service's), labels and selectors (the
// upstream pod labels are kept, so upstream's Services select the pods as before), the Service dynenv adds per
// StatefulSet (named after it, headless, beside upstream's governing Service), securityContext beyond `privileged`,
// the CronJob's concurrencyPolicy (dynenv's Forbid: runs never overlap), the ServiceAccount token not mounted.

const upstream: Array<Record<string, any>> = [];
let rendered: ReadonlyMap<string, KubernetesObject[]>;
let initOutput: string;
let configText: string;
let report: ValidationReport;
let imported: Record<string, any>;

beforeAll(async () => {
  const dir = await tempDir('dynenv-elasticsearch-');
  await cp(FIXTURE, path.join(dir, 'upstream'), { recursive: true });
  for (const file of UPSTREAM_FILES) {
    for (const document of parseAllDocuments(await readFile(path.join(FIXTURE, file), 'utf8'))) upstream.push(document.toJS());
  }
  const result = await importAndRender(
    dir,
    ['upstream'],
    'elasticsearch',
    'https://github.com/example-org/elasticsearch.git',
    pullRequestParameters('elasticsearch', 'example-org/elasticsearch', 12, HEAD_SHA),
  );
  ({ rendered, initOutput, report, configText } = result);
  imported = parse(result.configText);
}, 180_000);

describe('an Elasticsearch cluster imported with dynenv init --from', () => {
  it("says what it did with every object, and keeps the Services it does not make in each overlay's extra/", () => {
    for (const object of upstream) expect(initOutput).toContain(`${object.kind}/${object.metadata.name} →`);
    for (const service of ['elasticsearch', 'elasticsearch-data', 'elasticsearch-master', 'elasticsearch-discovery']) {
      expect(initOutput).toContain(`Service/${service} → kept unchanged in gitops/overlays/<env>/extra/service-${service}.yaml`);
    }
    expect(initOutput).toMatch(/ConfigMap\/curator-config → files of config\/curator-config\//);
  });

  it('carries what the model has no word for in patches, and sets the Pod Security level the privileged sysctl needs, loudly', () => {
    const data = imported.services.find((service: any) => service.name === 'es-data');
    expect(data.patches[0].patch.spec.serviceName).toBe('elasticsearch-data');
    expect(data.patches[0].patch.spec.template.spec.initContainers[0]).toMatchObject({ name: 'init-sysctl', securityContext: { privileged: true } });
    for (const environment of ['dev', 'staging', 'prod']) expect(imported.environments[environment].podSecurity).toBe('privileged');
    expect(initOutput).toContain('the imported pods need "privileged", so environments.{dev,staging,prod}.podSecurity is "privileged"');
  });

  it('leaves the workloads a preview refuses out of previews, says why, and keeps the preview fence at "restricted"', () => {
    // A preview's admission policy refuses privileged containers at any Pod Security level: a pull request never
    // gets privileged pods, so the sysctl StatefulSets run in dev, staging and prod only.
    expect(imported.environments.preview.podSecurity).toBeUndefined();
    expect(imported.environments.preview.services).toEqual({ 'es-data': { enabled: false }, 'es-master': { enabled: false } });
    for (const service of ['es-data', 'es-master']) {
      expect(initOutput).toContain(
        `StatefulSet/${service} → service ${service} (kind: StatefulSet), with a patch; left out of previews (init container init-sysctl runs privileged)`,
      );
      expect(initOutput).toContain(
        `note: ${service}: init container init-sysctl runs privileged, which a preview's fence refuses at any Pod Security level (a pull request never gets privileged pods): left out of previews (environments.preview.services.${service}.enabled: false)`,
      );
      expect(configText).toContain(
        `      # left out of previews: init container init-sysctl runs privileged, which a preview's fence refuses at any Pod Security level\n      ${service}: { enabled: false }`,
      );
    }
    expect(initOutput).toContain('Service/elasticsearch-data → kept unchanged in gitops/overlays/<env>/extra/service-elasticsearch-data.yaml');
    expect(initOutput).toMatch(/Service\/elasticsearch-data → .*; not in previews, which leave out es-data\n/);
  });

  it('synthesizes and validates with no hand edit: no error', () => {
    // dev, staging and prod are configured "privileged", so there the privileged sysctl init container is a warning;
    // previews run no privileged pod, so their fence stays as strict as dynenv makes it.
    const errors = report.findings.filter((finding) => finding.severity === 'error');
    expect(errors.map((finding) => `${finding.rule} ${finding.scope} ${finding.kind}/${finding.name}: ${finding.message}`)).toEqual([]);
    expect(report.findings.filter((finding) => finding.rule === 'privileged').map((finding) => finding.scope)).toEqual([
      'dev',
      'dev',
      'staging',
      'staging',
      'prod',
      'prod',
    ]);
  });

  for (const environment of ['dev', 'staging', 'prod']) {
    it(`renders ${environment} with every workload and Service as upstream has it, but for dynenv's hardening`, () => {
      expect(workloadDifferences(upstream, rendered.get(environment)!, HARDENING)).toEqual([]);
    });
  }

  it("renders a pull request's preview the same way, with the pull request's build of the images built here, but for what previews leave out", () => {
    // The privileged StatefulSets and the Services that select only their pods are not in previews.
    expect(
      workloadDifferences(upstream, rendered.get('preview')!, { ...HARDENING, builtImagesRetagged: true, addedEnvFromConfigMaps: ['dynenv-preview'] }),
    ).toEqual([
      'Service/elasticsearch-data: missing',
      'Service/elasticsearch-discovery: missing',
      'Service/elasticsearch-master: missing',
      'Service/elasticsearch: missing',
      'StatefulSet/es-data: missing',
      'StatefulSet/es-master: missing',
    ]);
  });
});
