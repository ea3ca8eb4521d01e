/**
 * The contract between the synthesized Argo CD objects and the plugin server as it really is: the
 * ApplicationSet's template uses only keys the server emits, the server accepts the ApplicationSet's input
 * parameters and the Deployment's environment, and the ConfigMap, token Secret, Service, Deployment,
 * NetworkPolicy and webhook Ingress all point at each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPluginServerConfig } from '../plugin-server/config.ts';
import { PLUGIN_PARAMETER_KEYS as PARAMETER_KEYS } from '../contract/plugin-parameters.ts';
import { PATTERN_PARAMETERS } from '../src/config/preview-pattern.ts';
import { PLUGIN_ROUTES } from '../contract/plugin-routes.ts';
import { PLUGIN_TOKEN_DIRECTORY } from '../src/constructs/plugin-server-deployment.ts';
import { PREVIEW_TEMPLATE_PARAMETERS } from '../src/constructs/preview-application-set.ts';
import type { KubernetesObject } from '../src/gitops/kustomize-build.ts';
import { synthesizeTree as synthesizeWith } from '../src/gitops/tree.ts';
import { renderTemplateTree, templateKeys } from './support/argocd-render.ts';
import { configWith, dig, exampleTree, find, objectsIn } from './support/example.ts';
import { parameterSets, startHarness, type Harness } from './plugin-server/harness.ts';

let argocd: KubernetesObject[];
beforeAll(async () => {
  argocd = objectsIn(await exampleTree(), 'argocd');
});

const applicationSets = () => argocd.filter((object) => object.kind === 'ApplicationSet') as any[];
const applicationSet = (name = 'checkout-previews') => find(argocd, 'ApplicationSet', name) as any;
const fenceSet = () => applicationSet('checkout-preview-fences');
const deployment = () => find(argocd, 'Deployment') as any;
const container = () => dig(deployment(), 'spec', 'template', 'spec', 'containers', 0);
const envOf = (object: any) => Object.fromEntries((object.env as Array<{ name: string; value?: string }>).map((variable) => [variable.name, variable.value]));

describe('the ApplicationSet templates', () => {
  it('use only parameter keys the plugin server emits', () => {
    expect(applicationSets()).toHaveLength(2);
    const used = new Set(applicationSets().flatMap((set) => [...templateKeys(set.spec.template)]));
    expect([...used].sort()).toEqual(['head_sha', 'namespace', 'number', 'url']);
    for (const key of used) expect(PARAMETER_KEYS).toContain(key);
  });

  it('may use, through the configured patterns, only keys the plugin server emits', () => {
    for (const key of PREVIEW_TEMPLATE_PARAMETERS) expect(PARAMETER_KEYS, key).toContain(key);
    for (const key of Object.keys(PATTERN_PARAMETERS)) expect(PREVIEW_TEMPLATE_PARAMETERS).toContain(key);
  });

  it('uses every pattern key it is configured with, and still only emitted ones', () => {
    const config = configWith((data) => {
      data.preview.host = 'b-{{branch_slug}}-{{number}}.preview.example.com';
      data.preview.imageTag = 'pr-{{head_short_sha}}-{{head_short_sha_7}}';
      data.preview.data = { tenantId: 't-{{target_branch_slug}}-{{number}}' };
    });
    const sets = objectsIn(synthesizeWith(config), 'argocd').filter((object) => object.kind === 'ApplicationSet') as any[];
    const used = new Set(sets.flatMap((set) => [...templateKeys(set.spec.template)]));
    expect([...used].sort()).toEqual(['branch_slug', 'head_sha', 'head_short_sha', 'head_short_sha_7', 'namespace', 'number', 'target_branch_slug', 'url']);
    for (const key of used) expect(PARAMETER_KEYS).toContain(key);
  });
});

describe('the plugin server, asked as the ApplicationSet asks it', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ repositories: ['example-org/checkout'] });
  });
  afterAll(async () => harness.close());

  it('accepts the input parameters and answers parameter sets both templates render with', async () => {
    harness.fake.openPullRequest('example-org/checkout', { base: 'main', head: 'feature/coupons' });
    harness.fake.openPullRequest('example-org/checkout', { base: 'main', head: 'fix/tax', labels: ['stale'] });
    harness.fake.openPullRequest('example-org/checkout', { base: 'main', draft: true });
    const generator = applicationSet().spec.generators[0].plugin;
    const sets = parameterSets(await harness.poll(generator.input.parameters));
    // The draft and the pull request labelled "stale" get no preview.
    expect(sets).toHaveLength(1);
    const number = sets[0]!.number;
    const workloads = renderTemplateTree(applicationSet().spec.template, sets[0]!);
    expect(workloads.metadata.name).toBe(`checkout-pr-${number}`);
    expect(workloads.spec.destination.namespace).toBe(`checkout-pr-${number}`);
    expect(workloads.spec.source.targetRevision).toBe(sets[0]!.head_sha);
    expect(workloads.spec.source.kustomize.namespace).toBe(`checkout-pr-${number}`);
    const fence = renderTemplateTree(fenceSet().spec.template, sets[0]!);
    expect(fence.metadata.name).toBe(`checkout-pr-${number}-fence`);
    expect(fence.spec.destination.namespace).toBe(`checkout-pr-${number}`);
    expect(fence.spec.source.targetRevision).toBe('main');
  });

  it("names namespaces with the configured prefix, inside both preview AppProjects' destinations", async () => {
    const config = configWith((data) => {
      data.preview.namespacePrefix = 'shop';
    });
    const objects = objectsIn(synthesizeWith(config), 'argocd');
    for (const name of ['checkout-previews', 'checkout-preview-fences']) {
      const prefixed = find(objects, 'ApplicationSet', name) as any;
      const sets = parameterSets(await harness.poll(prefixed.spec.generators[0].plugin.input.parameters));
      const application = renderTemplateTree(prefixed.spec.template, sets[0]!);
      expect(application.spec.destination.namespace).toBe(`shop-pr-${sets[0]!.number}`);
      expect(dig(find(objects, 'AppProject', name), 'spec', 'destinations', 0, 'namespace')).toBe('shop-pr-*');
    }
  });

  it('serves the probe paths of the Deployment and the path of the webhook Ingress', async () => {
    expect(dig(container(), 'readinessProbe', 'httpGet', 'path')).toBe(PLUGIN_ROUTES.readiness);
    expect(dig(container(), 'livenessProbe', 'httpGet', 'path')).toBe(PLUGIN_ROUTES.liveness);
    for (const path of [PLUGIN_ROUTES.readiness, PLUGIN_ROUTES.liveness]) {
      expect((await harness.app.inject({ method: 'GET', url: path })).statusCode, path).toBe(200);
    }
    const webhookPath = dig(find(argocd, 'Ingress'), 'spec', 'rules', 0, 'http', 'paths', 0, 'path');
    // Unsigned: refused, but routed (a wrong path would be 404).
    const webhook = await harness.app.inject({ method: 'POST', url: webhookPath, headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(webhook.statusCode).toBe(401);
  });
});

describe('the plugin objects', () => {
  it('lead the ConfigMap to the Service and the Service to the server port', () => {
    const configMap = find(argocd, 'ConfigMap') as any;
    const service = find(argocd, 'Service') as any;
    for (const set of applicationSets()) {
      expect(set.spec.generators[0].plugin.configMapRef.name).toBe(configMap.metadata.name);
      // Argo CD reads the ConfigMap and the token Secret from its own namespace only.
      expect(configMap.metadata.namespace).toBe(set.metadata.namespace);
    }
    const baseUrl = new URL(configMap.data.baseUrl);
    expect(baseUrl.hostname).toBe(`${service.metadata.name}.${service.metadata.namespace}.svc`);
    expect(Number(baseUrl.port)).toBe(service.spec.ports[0].port);
    expect(service.spec.selector).toEqual(deployment().spec.selector.matchLabels);
    const port = container().ports.find((candidate: any) => candidate.name === service.spec.ports[0].targetPort);
    expect(port.containerPort).toBe(Number(envOf(container()).PORT));
  });

  it('give Argo CD and the server the same token Secret and key', () => {
    const [secret, key] = (find(argocd, 'ConfigMap') as any).data.token.replace(/^\$/, '').split(':');
    expect(secret).toBe('dynenv-plugin-token');
    const volume = dig(deployment(), 'spec', 'template', 'spec', 'volumes').find((candidate: any) => candidate.secret);
    expect(volume.secret).toMatchObject({ secretName: secret, items: [{ key, path: key }] });
    const mount = container().volumeMounts.find((candidate: any) => candidate.name === volume.name);
    expect(`${mount.mountPath}/${key}`).toBe(envOf(container()).PLUGIN_TOKEN_FILE);
    expect(mount.mountPath).toBe(PLUGIN_TOKEN_DIRECTORY);
  });

  it('give the server an environment it starts with, allowing the repository the ApplicationSet asks about', () => {
    const tokenFile = envOf(container()).PLUGIN_TOKEN_FILE!;
    // What the github Secret (envFrom) adds; its name is what the README tells you to create.
    expect(container().envFrom).toEqual([{ secretRef: { name: 'dynenv-plugin-github' } }]);
    const config = loadPluginServerConfig({ ...envOf(container()), GITHUB_TOKEN: 'ghp_example' }, (file) => {
      if (file !== tokenFile) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return 'argo-plugin-token\n';
    });
    expect(config.port).toBe(4355);
    expect(config.pluginToken).toBe('argo-plugin-token');
    expect(config.repositories).toEqual([applicationSet().spec.generators[0].plugin.input.parameters.repo]);
  });

  it('admit only the ApplicationSet controller to the server, and the ingress controller for webhooks', () => {
    const policy = find(argocd, 'NetworkPolicy') as any;
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment().spec.selector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-applicationset-controller' } } }], ports: [{ protocol: 'TCP', port: 4355 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 4355 }] },
    ]);
  });
});
