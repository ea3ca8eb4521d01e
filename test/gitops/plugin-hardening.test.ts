/**
 * The plugin server as the committed gitops/argocd deploys it (rendered with kustomize, as Argo CD renders it):
 * it runs as non-root on a read-only root file system with no privilege, no capability and no service-account
 * token; a NetworkPolicy admits only the ApplicationSet controller and the ingress controller and lets it out only
 * to DNS and HTTPS; no secret is written in Git; and the committed ApplicationSets, asked through the real server,
 * leave pull requests from forks out.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { numbers, startHarness, type Harness } from '../plugin-server/harness.ts';
import { REPO_ROOT } from '../support/workspace.ts';

let objects: KubernetesObject[];
beforeAll(async () => {
  objects = await kustomizeBuild(path.join(REPO_ROOT, 'gitops/argocd'));
});

const only = (kind: string): any => {
  const found = objects.filter((object) => object.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};

describe('the committed plugin server manifests, rendered', () => {
  it('run it as non-root, read-only, unprivileged, without capabilities, the service-account token in the controller container alone', () => {
    const deployment = only('Deployment');
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) expect(pod[flag], flag).toBeUndefined();
    expect(pod.volumes.filter((volume: object) => 'hostPath' in volume)).toEqual([]);
    const containers = [...pod.containers, ...(pod.initContainers ?? [])];
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) {
      expect(container.securityContext, container.name).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.securityContext.privileged ?? false).toBe(false);
      expect(container.securityContext.capabilities.add ?? []).toEqual([]);
      expect(container.securityContext.runAsUser ?? pod.securityContext.runAsUser).toBeGreaterThan(0);
    }
    const account = objects.find((object) => object.kind === 'ServiceAccount' && object.metadata.name === pod.serviceAccountName) as any;
    expect(account.automountServiceAccountToken).toBe(false);
    // The projected token is mounted into the controller container and no other (serve, which the internet reaches).
    const tokenVolumes = pod.volumes.filter((volume: any) => volume.projected?.sources?.some((source: object) => 'serviceAccountToken' in source));
    expect(tokenVolumes).toHaveLength(1);
    const mounting = containers.filter((container: any) => container.volumeMounts?.some((mount: any) => mount.name === tokenVolumes[0].name));
    expect(mounting.map((container: any) => container.name)).toEqual(['controller']);
  });

  it('fence it with a NetworkPolicy: in from the ApplicationSet controller and the ingress controller, out to DNS, HTTPS and the API server only', () => {
    const deployment = only('Deployment');
    const policy = only('NetworkPolicy');
    const port = deployment.spec.template.spec.containers[0].ports[0].containerPort;
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect([...policy.spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
    // Every ingress rule names its peers (none is open to all) and admits only the server's port.
    for (const rule of policy.spec.ingress) {
      expect(rule.from?.length, JSON.stringify(rule)).toBeGreaterThan(0);
      expect(rule.ports).toEqual([{ protocol: 'TCP', port }]);
    }
    const peers = policy.spec.ingress.flatMap((rule: { from: object[] }) => rule.from);
    expect(peers).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-applicationset-controller' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
    const egressPorts = policy.spec.egress.flatMap((rule: { ports: Array<{ port: number }> }) => rule.ports.map((p) => p.port));
    // 6443: the controller container talks to the Kubernetes API server (cluster.apiServerPorts; 443 is HTTPS already).
    expect([...new Set(egressPorts)].sort()).toEqual([443, 53, 6443]);
    const dns = policy.spec.egress.find((rule: { ports: Array<{ port: number }> }) => rule.ports.some((p) => p.port === 53));
    expect(dns.to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }]);
  });

  it('keep every secret out of Git: the token and the GitHub credentials come from Secrets the cluster holds', () => {
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
    const container = only('Deployment').spec.template.spec.containers[0];
    const names = (container.env as Array<{ name: string; value?: string }>).map((variable) => variable.name);
    for (const secret of ['PLUGIN_TOKEN', 'GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET', 'GITHUB_APP_PRIVATE_KEY']) expect(names).not.toContain(secret);
    expect(names).toContain('PLUGIN_TOKEN_FILE');
    expect(container.envFrom).toEqual([{ secretRef: { name: expect.any(String) } }]);
    expect(only('ConfigMap').data.token).toMatch(/^\$[a-z0-9.-]+:[a-z0-9.-]+$/);
  });
});

describe('the committed ApplicationSet, asked through the real server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ repositories: ['example-org/checkout'] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('leaves out pull requests from forks (their code would run in the cluster), whatever else they match', async () => {
    const sets = objects.filter((object) => object.kind === 'ApplicationSet') as any[];
    // A preview's fence and its workloads: both ask the same question, so both leave forks out.
    expect(sets.map((set) => set.metadata.name).sort()).toEqual(['checkout-preview-fences', 'checkout-previews']);
    expect(sets[0].spec.generators[0].plugin.input.parameters).toEqual(sets[1].spec.generators[0].plugin.input.parameters);
    const generator = sets[0].spec.generators[0].plugin;
    expect(generator.input.parameters.includeForks ?? false).toBe(false);
    const like = { base: 'main', labels: ['preview'], head: 'feature/cart' };
    h.fake.openPullRequest('example-org/checkout', like);
    h.fake.openPullRequest('example-org/checkout', { ...like, fromForkOf: 'mallory' });
    expect(numbers(await h.getParams(generator.input.parameters))).toEqual([1]);
    expect(numbers(await h.poll({ ...generator.input.parameters, includeForks: true }))).toEqual([1, 2]);
  });
});
