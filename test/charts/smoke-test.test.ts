/**
 * A preview's smoke test (issue 13 item 5), synthesized and rendered with the real Kustomize: a PostSync hook Job
 * in the workloads, and, when it tests the preview's URL, the NetworkPolicy in the fence that lets it reach the
 * ingress controller (checked with the NetworkPolicy evaluator); what its settings may be; what the quota counts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { footprint } from '../../src/config/environment-checks.ts';
import type { Config, EnvironmentName } from '../../src/config/schema.ts';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { problems } from '../support/config-problems.ts';
import { EXAMPLE_TEXT, configWith, dig, find, writeTree } from '../support/example.ts';
import { NetworkPolicyEvaluator, type ModelEndpoint } from '../support/network-policy-evaluator.ts';
import { environmentPods, networkPolicies, podOf, renderEnvironments } from '../support/platform-render.ts';
import { validateObject } from '../support/schemas.ts';
import { synthesizeTree } from '../../src/gitops/tree.ts';
import { tempDir } from '../support/workspace.ts';
import { clusterFacts } from '../../src/validate/cluster-facts.ts';
import { externalObjects } from '../../src/validate/external-objects.ts';
import { validateTree } from '../../src/validate/validate-tree.ts';

const SMOKE = { image: 'ghcr.io/example-org/checkout-smoke:1.4.0', command: ['npm', 'run', 'smoke'] };
const NAMESPACE = 'checkout-preview';

function withSmokeTest(smokeTest: Record<string, unknown>): Config {
  return configWith((data) => {
    data.preview.smokeTest = smokeTest;
  });
}

const rendered = new Map<string, Map<EnvironmentName, KubernetesObject[]>>();
beforeAll(async () => {
  rendered.set('url', await renderEnvironments(withSmokeTest(SMOKE), await tempDir()));
  rendered.set(
    'service',
    await renderEnvironments(withSmokeTest({ ...SMOKE, service: 'web', args: ['--quick'], retries: 0, timeoutSeconds: 120 }), await tempDir()),
  );
  rendered.set('none', await renderEnvironments(configWith(), await tempDir()));
}, 120_000);
const objects = (variant: string, environment: EnvironmentName) => rendered.get(variant)!.get(environment)!;

describe('a preview smoke test', () => {
  it('is a PostSync hook of the preview workloads: it runs once every resource is healthy, on every full sync, and ends', () => {
    const job = find(objects('url', 'preview'), 'Job', 'dynenv-smoke-test');
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '0',
      'dynenv.io/idempotent': 'true',
    });
    expect(dig(job, 'spec')).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 300 });
    const container = dig(job, 'spec', 'template', 'spec', 'containers', 0);
    expect(container).toMatchObject({
      image: SMOKE.image,
      command: SMOKE.command,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    });
    // The preview's URL, as the ApplicationSet patches it into the identity ConfigMap for each pull request.
    expect(container.env).toEqual([{ name: 'DYNENV_SMOKE_URL', valueFrom: { configMapKeyRef: { name: 'dynenv-preview', key: 'DYNENV_PREVIEW_URL' } } }]);
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'dynenv-preview' } }]);
    expect(dig(job, 'spec', 'template', 'spec', 'securityContext')).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(dig(job, 'spec', 'template', 'spec', 'automountServiceAccountToken')).toBe(false);
    expect(() => validateObject(job, 'overlays/preview')).not.toThrow();
  });

  it('tests a service inside the namespace when told to, with its settings', () => {
    const job = find(objects('service', 'preview'), 'Job', 'dynenv-smoke-test');
    expect(dig(job, 'spec')).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 120 });
    const container = dig(job, 'spec', 'template', 'spec', 'containers', 0);
    expect(container.args).toEqual(['--quick']);
    expect(container.env).toEqual([{ name: 'DYNENV_SMOKE_URL', value: 'http://web' }]);
  });

  it('passes every rule of dynenv validate (sync order and re-runs, deadlines, Pod Security, schema, references)', async () => {
    const config = withSmokeTest(SMOKE);
    const directory = await tempDir();
    await writeTree(config, directory);
    const report = await validateTree({ directory, external: externalObjects(config), cluster: clusterFacts(config) });
    // The example's own two warnings only: what a preview's workloads wait for from its fence.
    expect(report.findings.map((item) => `${item.rule}: ${item.severity} ${item.scope} ${item.kind}/${item.name}`)).toEqual([
      'sync-order: warning preview Namespace/checkout-preview',
      'sync-order: warning preview StatefulSet/api-postgres',
    ]);
  });

  it('exists only in previews, and only when configured', () => {
    for (const environment of ['dev', 'staging', 'prod'] as const) {
      expect(
        objects('url', environment).filter((object) => object.metadata.name === 'dynenv-smoke-test' || object.metadata.name === 'allow-dynenv-smoke-test'),
      ).toEqual([]);
    }
    expect(objects('none', 'preview').filter((object) => object.metadata.name.includes('smoke'))).toEqual([]);
  });

  describe('what it may reach (the fence)', () => {
    const INGRESS_CONTROLLER = {
      pod: { namespace: 'ingress-nginx', name: 'controller', labels: {}, ip: '10.60.0.5', ports: [{ containerPort: 80 }, { containerPort: 443 }] },
    };
    const setup = (variant: string) => {
      const preview = objects(variant, 'preview');
      const pods = environmentPods(preview, NAMESPACE);
      const cluster = new NetworkPolicyEvaluator([{ name: NAMESPACE }, { name: 'ingress-nginx' }], networkPolicies(preview));
      const pod = (kind: string, name: string): ModelEndpoint => ({ pod: podOf(pods, kind, name) });
      return { cluster, pod };
    };

    it("reaches the preview's URL through the ingress controller, which no other pod of the preview may", () => {
      const { cluster, pod } = setup('url');
      expect(find(objects('url', 'preview'), 'NetworkPolicy', 'allow-dynenv-smoke-test').metadata.namespace).toBe(NAMESPACE);
      // In the fence, from the protected branch: a pull request cannot change what its smoke test may reach.
      const files = [...synthesizeTree(withSmokeTest(SMOKE))].filter(([, text]) => text.includes('name: allow-dynenv-smoke-test')).map(([file]) => file);
      expect(files).toEqual([expect.stringMatching(/^overlays\/preview-fence\//)]);
      expect(cluster.allows(pod('Job', 'dynenv-smoke-test'), INGRESS_CONTROLLER, 443)).toBe(true);
      expect(cluster.allows(pod('Job', 'dynenv-smoke-test'), INGRESS_CONTROLLER, 80)).toBe(true);
      expect(cluster.allows(pod('Job', 'dynenv-smoke-test'), INGRESS_CONTROLLER, 10254)).toBe(false);
      expect(cluster.allows(pod('Deployment', 'api'), INGRESS_CONTROLLER, 443)).toBe(false);
      expect(cluster.allows(pod('Job', 'dynenv-smoke-test'), { ip: '203.0.113.9' }, 443)).toBe(false);
    });

    it('reaches a service inside the namespace without any policy of its own', () => {
      const { cluster, pod } = setup('service');
      expect(networkPolicies(objects('service', 'preview')).map((policy) => policy.metadata.name)).not.toContain('allow-dynenv-smoke-test');
      expect(cluster.allows(pod('Job', 'dynenv-smoke-test'), pod('Deployment', 'web'), 8080)).toBe(true);
      expect(cluster.allows(pod('Job', 'dynenv-smoke-test'), INGRESS_CONTROLLER, 443)).toBe(false);
    });
  });

  it("counts its pod in the preview's quota", () => {
    const parts = (config: Config) => footprint(config, 'preview').parts.cpu.join(', ');
    expect(parts(withSmokeTest(SMOKE))).toContain('dynenv-smoke-test 1×50m');
    expect(parts(configWith())).not.toContain('smoke');
  });

  it.each([
    {
      name: 'a service that does not exist',
      smokeTest: { ...SMOKE, service: 'payments' },
      expected: ['dynenv.yaml: preview.smokeTest.service: no service "payments" (services: api, web, worker)'],
    },
    {
      name: 'a service without a port',
      smokeTest: { ...SMOKE, service: 'worker' },
      expected: ['dynenv.yaml: preview.smokeTest.service: service "worker" has neither a port named "http" nor a single port to test'],
    },
    {
      name: 'an image without tag or digest',
      smokeTest: { ...SMOKE, image: 'ghcr.io/example-org/checkout-smoke' },
      expected: [expect.stringMatching(/^dynenv\.yaml: preview\.smokeTest\.image: expected an image with a tag or digest/)],
    },
    { name: 'no command', smokeTest: { image: SMOKE.image }, expected: [expect.stringMatching(/^dynenv\.yaml: preview\.smokeTest\.command: /)] },
    {
      name: 'a timeout under 10 s',
      smokeTest: { ...SMOKE, timeoutSeconds: 5 },
      expected: ['dynenv.yaml: preview.smokeTest.timeoutSeconds: expected an integer 10-3600, got 5'],
    },
  ])('refuses $name, naming the field', ({ smokeTest, expected }) => {
    const text = EXAMPLE_TEXT.replace('preview:\n  host:', `preview:\n  smokeTest: ${JSON.stringify(smokeTest)}\n  host:`);
    expect(problems(text)).toEqual(expected);
  });

  it('refuses a service switched off in previews', () => {
    const config = EXAMPLE_TEXT.replace('preview:\n  host:', `preview:\n  smokeTest: ${JSON.stringify({ ...SMOKE, service: 'web' })}\n  host:`);
    const text = config.replace('  preview:\n    replicas: 1\n', '  preview:\n    replicas: 1\n    services: { web: { enabled: false } }\n');
    expect(text).toContain('web: { enabled: false }');
    expect(problems(text)).toContain(
      'dynenv.yaml: preview.smokeTest.service: service "web" is not enabled in previews (environments.preview.services.web.enabled)',
    );
  });

  it('refuses to test a URL a preview does not have', () => {
    const text = EXAMPLE_TEXT.replace(
      'preview:\n  host: pr-{{number}}.preview.example.com\n  # No Secret name: the ingress controller serves its default certificate, a wildcard for *.preview.example.com.\n  tls: {}\n',
      `preview:\n  smokeTest: ${JSON.stringify(SMOKE)}\n`,
    );
    expect(text).not.toContain('host: pr-');
    expect(problems(text)).toEqual([
      'dynenv.yaml: preview.smokeTest: needs "preview.host" and a service with "ingress: true" (the URL it tests), or "service" (a service to test inside the namespace)',
    ]);
  });
});
