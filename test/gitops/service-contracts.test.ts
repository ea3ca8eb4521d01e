/**
 * Service-to-service contracts (issue 11 item 3): `allowFrom` and `talksTo` rendered by real Kustomize, their
 * NetworkPolicies evaluated as a network plugin would, and the checks that keep both ends and the env values honest.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.ts';
import { environmentNamespace } from '../../src/config/resolve.ts';
import type { EnvironmentName } from '../../src/config/schema.ts';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { externalObjects } from '../../src/validate/external-objects.ts';
import { environmentContracts } from '../../src/validate/service-contracts.ts';
import { unpinnedImages } from '../../src/validate/unpinned-images.ts';
import { validateTree } from '../../src/validate/validate-tree.ts';
import { problems } from '../support/config-problems.ts';
import { NetworkPolicyEvaluator, type ModelPod } from '../support/network-policy-evaluator.ts';
import { environmentPods, networkPolicies, podOf, renderEnvironments } from '../support/platform-render.ts';
import { tempDir } from '../support/workspace.ts';

const digest = `sha256:${'c'.repeat(64)}`;
const services = (contracts: { cart?: string; checkout?: string; frontend?: string } = {}) => `
  - name: frontend
    image: ghcr.io/acme/frontend
    port: 8080
    healthPath: /healthz
    ingress: true
    env: { CART_ADDR: "cart:7070", CHECKOUT_URL: "http://checkout:80/api" }
${contracts.frontend ?? ''}
  - name: cart
    image: ghcr.io/acme/cart
    ports: [{ name: grpc, containerPort: 7070 }, { name: metrics, containerPort: 9090 }]
    probes: { readiness: { grpc: { port: grpc } } }
${contracts.cart ?? '    allowFrom: [{ service: frontend, ports: [grpc] }, checkout]'}
  - name: checkout
    image: ghcr.io/acme/checkout
    port: 8080
    healthPath: /healthz
    database: postgres
    migrate: { command: [/app/migrate] }
${contracts.checkout ?? '    talksTo: [{ service: cart, ports: [grpc] }]'}
  - name: loadgen
    image: ghcr.io/acme/loadgen
    probes: { readiness: false }
`;
const config = (servicesText = services()) => `app: shop
owner: team-shop
repository: { url: https://github.com/acme/shop.git }
argocd: { plugin: { image: "ghcr.io/acme/dynenv:1.0" } }
preview: { host: "pr-{{number}}.preview.example.com" }
services:${servicesText}
environments:
  dev: { imageTag: main, host: dev.example.com }
  staging: { host: staging.example.com, services: { frontend: { digest: "${digest}" }, cart: { digest: "${digest}" }, checkout: { digest: "${digest}" }, loadgen: { digest: "${digest}" } } }
  prod: { host: example.com, services: { frontend: { digest: "${digest}" }, cart: { digest: "${digest}" }, checkout: { digest: "${digest}" }, loadgen: { digest: "${digest}" } } }
`;

const rendered = new Map<EnvironmentName, KubernetesObject[]>();
let namespaceOf: (environment: EnvironmentName) => string;
beforeAll(async () => {
  const parsed = parseConfig(config());
  namespaceOf = (environment) => environmentNamespace(parsed, environment);
  for (const [environment, objects] of await renderEnvironments(parsed, await tempDir())) rendered.set(environment, objects);
}, 120_000);

const world = (environment: EnvironmentName) => {
  const objects = rendered.get(environment)!;
  const pods = environmentPods(objects, namespaceOf(environment));
  const evaluator = new NetworkPolicyEvaluator([{ name: namespaceOf(environment) }], networkPolicies(objects));
  const pod = (kind: string, name: string): { pod: ModelPod } => ({ pod: podOf(pods, kind, name) });
  return { evaluator, pod, objects };
};

describe.each(['dev', 'prod', 'preview'] as const)('contracts in %s', (environment) => {
  it('admits exactly the callers a service names, on exactly the ports it names', () => {
    const { evaluator, pod } = world(environment);
    const cart = pod('Deployment', 'cart');
    expect(evaluator.allows(pod('Deployment', 'frontend'), cart, 7070)).toBe(true);
    expect(evaluator.allows(pod('Deployment', 'frontend'), cart, 9090)).toBe(false);
    expect(evaluator.allows(pod('Deployment', 'checkout'), cart, 7070)).toBe(true);
    expect(evaluator.allows(pod('Deployment', 'loadgen'), cart, 7070)).toBe(false);
    expect(evaluator.allows(pod('Deployment', 'loadgen'), cart, 9090)).toBe(false);
  });

  it('lets a service that names whom it calls reach only those, on those ports', () => {
    const { evaluator, pod } = world(environment);
    // checkout's talksTo names cart's grpc port only, although cart would admit it on every port.
    expect(evaluator.allows(pod('Deployment', 'checkout'), pod('Deployment', 'cart'), 9090)).toBe(false);
    expect(evaluator.allows(pod('Deployment', 'checkout'), pod('Deployment', 'frontend'), 8080)).toBe(false);
    expect(evaluator.allows(pod('Deployment', 'checkout'), pod('Deployment', 'loadgen'), 8080)).toBe(false);
  });

  it('leaves services without a contract open to the namespace, as before', () => {
    const { evaluator, pod } = world(environment);
    expect(evaluator.allows(pod('Deployment', 'loadgen'), pod('Deployment', 'frontend'), 8080)).toBe(true);
    expect(evaluator.allows(pod('Deployment', 'frontend'), pod('Deployment', 'checkout'), 8080)).toBe(true);
    expect(evaluator.allows(pod('Deployment', 'frontend'), pod('Deployment', 'loadgen'), 8080)).toBe(true);
  });

  it('still lets the ingress controller reach the service behind the Ingress', () => {
    const { objects } = world(environment);
    const fromController = objects.find((object) => object.kind === 'NetworkPolicy' && object.metadata.name === 'allow-from-ingress-controller') as any;
    expect(fromController.spec.podSelector.matchExpressions[0].values).toEqual(['frontend']);
  });
});

describe('contracts and a preview database', () => {
  it("lets a service that names whom it calls still reach its own preview database, and its migration Job too", () => {
    const { evaluator, pod } = world('preview');
    expect(evaluator.allows(pod('Deployment', 'checkout'), pod('StatefulSet', 'checkout-postgres'), 5432)).toBe(true);
    expect(evaluator.allows(pod('Job', 'checkout-migrate'), pod('StatefulSet', 'checkout-postgres'), 5432)).toBe(true);
  });
});

describe('contracts and a smoke test inside the namespace', () => {
  it("admits a preview's smoke test to the service it tests, past that service's allowFrom", async () => {
    const text = config(services({ frontend: '    allowFrom: [loadgen]' })).replace(
      'preview: { host:',
      'preview: { smokeTest: { service: frontend, image: "ghcr.io/acme/smoke@sha256:' + 'd'.repeat(64) + '", command: [/smoke] }, host:',
    );
    const parsed = parseConfig(text);
    const objects = (await renderEnvironments(parsed, await tempDir())).get('preview')!;
    const pods = environmentPods(objects, environmentNamespace(parsed, 'preview'));
    const evaluator = new NetworkPolicyEvaluator([{ name: environmentNamespace(parsed, 'preview') }], networkPolicies(objects));
    const smoke = podOf(pods, 'Job', 'dynenv-smoke-test');
    const frontend = { pod: podOf(pods, 'Deployment', 'frontend') };
    expect(evaluator.allows({ pod: smoke }, frontend, 8080)).toBe(true);
    expect(evaluator.allows({ pod: podOf(pods, 'Deployment', 'cart') }, frontend, 8080)).toBe(false);
  }, 60_000);
});

describe('contracts that disagree, in dynenv.yaml', () => {
  const at = (index: number, field: string, message: string) => `dynenv.yaml: services[${index}].${field}: ${message}`;
  const cases: Array<[string, { cart?: string; checkout?: string; frontend?: string }, string[]]> = [
    [
      'a talksTo the callee does not admit',
      { cart: '    allowFrom: [frontend]' },
      [at(2, 'talksTo[0]', 'cart does not admit checkout: its allowFrom lists frontend; add "checkout" to it (services[1])')],
    ],
    [
      'a talksTo on a port the callee does not admit it on',
      { cart: '    allowFrom: [frontend, { service: checkout, ports: [metrics] }]' },
      [at(2, 'talksTo[0]', 'cart admits checkout only on metrics, not on grpc (services[1])')],
    ],
    [
      'an allowFrom whose caller declares talksTo without it',
      { frontend: '    talksTo: [checkout]' },
      [at(1, 'allowFrom[0]', 'frontend declares talksTo without cart, so its pods cannot call it; add "cart" to its talksTo (services[0])')],
    ],
    [
      'an unknown service and an unknown port',
      { cart: '    allowFrom: [fronted, { service: checkout, ports: [grcp] }]' },
      [
        at(1, 'allowFrom[0]', 'no service named "fronted" (services are: frontend, cart, checkout, loadgen)'),
        at(1, 'allowFrom[1].ports[0]', 'cart has no port named "grcp" (its ports: grpc, metrics)'),
        at(2, 'talksTo[0]', 'cart admits checkout only on grcp, not on grpc (services[1])'),
      ],
    ],
    [
      'a talksTo to a service without ports',
      { checkout: '    talksTo: [loadgen]' },
      [
        at(1, 'allowFrom[1]', 'checkout declares talksTo without cart, so its pods cannot call it; add "cart" to its talksTo (services[2])'),
        at(2, 'talksTo[0]', 'loadgen has no port, so nothing can call it: declare its "ports" first'),
      ],
    ],
  ];
  it.each(cases)('refuses %s, naming the service and the field', (_, contracts, expected) => {
    expect(problems(config(services(contracts)))).toEqual(expected);
  });
});

describe('validate: env values that address a port the Service does not expose', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dynenv-contracts-'));
    await writeFile(path.join(dir, 'dynenv.yaml'), config());
    await synthesize({ configFile: path.join(dir, 'dynenv.yaml'), outDir: path.join(dir, 'gitops') });
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports an address on a port its Service does not expose (cart:7071, checkout:8080 behind the port shorthand), and accepts cart:7070 and http://checkout:80', async () => {
    const parsed = await loadConfig(path.join(dir, 'dynenv.yaml'));
    const report = await validateTree({ directory: path.join(dir, 'gitops'), external: externalObjects(parsed), unpinnedImages: unpinnedImages(parsed), contracts: environmentContracts(parsed) });
    expect(report.findings.filter((item) => item.rule === 'service-address' || item.rule === 'talks-to-allow-from')).toEqual([]);
    const moved = config().replace('env: { CART_ADDR: "cart:7070", CHECKOUT_URL: "http://checkout:80/api" }', 'env: { CART_ADDR: "cart:7071", CHECKOUT_URL: "http://checkout:8080/api" }');
    await writeFile(path.join(dir, 'dynenv.yaml'), moved);
    await synthesize({ configFile: path.join(dir, 'dynenv.yaml'), outDir: path.join(dir, 'gitops') });
    const broken = await validateTree({ directory: path.join(dir, 'gitops'), external: externalObjects(parsed), unpinnedImages: unpinnedImages(parsed), contracts: environmentContracts(parsed) });
    const findings = broken.findings.filter((item) => item.rule === 'service-address');
    expect(findings.map((item) => `${item.severity} ${item.scope} ${item.kind}/${item.name} ${item.path}: ${item.message}`)).toEqual(
      ['dev', 'staging', 'prod', 'preview'].flatMap((scope) => [
        `error ${scope} ConfigMap/frontend-config data.CART_ADDR: "cart:7071" addresses cart:7071, but Service cart exposes port 7070, 9090: the call would fail`,
        `error ${scope} ConfigMap/frontend-config data.CHECKOUT_URL: "http://checkout:8080/api" addresses checkout:8080, but Service checkout exposes port 80: the call would fail`,
      ]),
    );
    expect(findings[0]!.fix).toBe('address a port the Service exposes (cart:7070 or cart:9090), or expose 7071 on cart (in dynenv.yaml: ports: [{ name, containerPort, port: 7071 }])');
  });

  it('warns about a talksTo to a service that declares no allowFrom, in every environment, naming the allowFrom to add', async () => {
    const open = path.join(dir, 'open-callee');
    const text = config(services({ checkout: '    talksTo: [{ service: cart, ports: [grpc] }, frontend]' }));
    await mkdir(open, { recursive: true });
    await writeFile(path.join(open, 'dynenv.yaml'), text);
    await synthesize({ configFile: path.join(open, 'dynenv.yaml'), outDir: path.join(open, 'gitops') });
    const parsed = parseConfig(text);
    const report = await validateTree({ directory: path.join(open, 'gitops'), external: externalObjects(parsed), unpinnedImages: unpinnedImages(parsed), contracts: environmentContracts(parsed) });
    const findings = report.findings.filter((item) => item.rule === 'talks-to-allow-from');
    expect(findings.map((item) => `${item.severity} ${item.scope} ${item.kind}/${item.name} ${item.path}`)).toEqual(
      ['dev', 'staging', 'prod', 'preview'].map((scope) => `warning ${scope} NetworkPolicy/allow-checkout-calls spec.egress[1]`),
    );
    expect(findings[0]!.message).toBe(
      "checkout declares talksTo frontend, but frontend declares no allowFrom: it admits every pod of the namespace, so the contract holds on checkout's side only",
    );
    expect(findings[0]!.fix).toBe('in dynenv.yaml, add allowFrom: [checkout] to service frontend (with any other service that calls it)');
    expect(report.ok).toBe(true);
  });
});
