/**
 * allow-api-server (issue 10, finding 4), evaluated as a network plugin applies the rendered preview's
 * NetworkPolicies (test/support/network-policy-evaluator.ts): the database-credentials Job's pods reach the API
 * server at the addresses `cluster.apiServer` gives, on its ports, and nothing else through that policy; the
 * preview's own workloads do not reach the API server at all. That no one else can give a pod the label the
 * policy selects is the admission policy's part (preview-admission-policy.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { environmentNamespace } from '../../src/config/resolve.ts';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { configWith } from '../support/example.ts';
import { NetworkPolicyEvaluator, type ModelEndpoint, type ModelPod } from '../support/network-policy-evaluator.ts';
import { environmentPods, networkPolicies, podOf, renderEnvironments } from '../support/platform-render.ts';
import { tempDir } from '../support/workspace.ts';

const API_SERVER = { ip: '172.18.0.2' };
const ELSEWHERE: readonly ModelEndpoint[] = [{ ip: '172.18.0.3' }, { ip: '10.96.0.1' }, { ip: '93.184.216.34' }, { ip: '169.254.169.254' }];

async function renderedPreview(edit: (data: Record<string, any>) => void) {
  const config = configWith(edit);
  const objects: KubernetesObject[] = (await renderEnvironments(config, await tempDir())).get('preview')!;
  const namespace = environmentNamespace(config, 'preview');
  const evaluator = new NetworkPolicyEvaluator(
    [{ name: namespace }],
    networkPolicies(objects).map((policy) => ({ ...policy, metadata: { ...policy.metadata, namespace } })),
  );
  const pods = environmentPods(objects, namespace);
  return { pods, can: (from: ModelPod, to: ModelEndpoint, port: number) => evaluator.allows({ pod: from }, to, port) };
}

describe('allow-api-server with cluster.apiServer.addresses', () => {
  let preview: Awaited<ReturnType<typeof renderedPreview>>;
  beforeAll(async () => {
    preview = await renderedPreview((data) => void (data.cluster.apiServer = { addresses: [`${API_SERVER.ip}/32`] }));
  }, 120_000);

  it("lets the database-credentials Job's pods reach the API server's addresses on its ports, and only there", () => {
    const job = podOf(preview.pods, 'Job', 'api-database-credentials');
    for (const port of [443, 6443]) expect(preview.can(job, API_SERVER, port), `${port}`).toBe(true);
    expect(preview.can(job, API_SERVER, 22)).toBe(false);
    for (const elsewhere of ELSEWHERE)
      for (const port of [443, 6443]) expect(preview.can(job, elsewhere, port), `${JSON.stringify(elsewhere)}:${port}`).toBe(false);
  });

  it("keeps the preview's workloads away from the API server", () => {
    const workloads = preview.pods.filter((pod) => pod.labels['dynenv.io/component'] !== 'database-credentials');
    expect(workloads.map((pod) => pod.name)).toEqual(expect.arrayContaining(['Deployment/api', 'Deployment/web', 'Job/api-migrate']));
    for (const pod of workloads) for (const port of [443, 6443]) expect(preview.can(pod, API_SERVER, port), `${pod.name}:${port}`).toBe(false);
  });
});

describe('allow-api-server while the configuration does not say where the API server is', () => {
  it('admits the ports on every address (dynenv validate warns: open-egress)', async () => {
    const preview = await renderedPreview((data) => void delete data.cluster.apiServer);
    const job = podOf(preview.pods, 'Job', 'api-database-credentials');
    expect(preview.can(job, { ip: '172.18.0.3' }, 6443)).toBe(true);
    expect(preview.can(job, { ip: '172.18.0.3' }, 22)).toBe(false);
  }, 120_000);
});
