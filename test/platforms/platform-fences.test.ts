/**
 * Issue 16: every overlay rendered under every platform profile (real `kubectl kustomize`): its DNS, ingress and
 * solver policies, its storage class and the workload defaults asserted, then its NetworkPolicies evaluated as a
 * network plugin would in a model of that platform: the app's pods resolve names, are reached from the ingress
 * controller, reach their declared egress and their database, cert-manager's solver is reached, and nothing else
 * crosses the fence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { environmentNamespace } from '../../src/config/resolve.ts';
import type { EnvironmentName } from '../../src/config/schema.ts';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { PLATFORM_NAMES, type PlatformName } from '../../src/platforms/index.ts';
import { NetworkPolicyEvaluator, type ModelEndpoint, type ModelPod, type Protocol } from '../support/network-policy-evaluator.ts';
import { EXTERNAL_DATABASE, environmentPods, networkPolicies, platformConfig, podOf, renderEnvironments } from '../support/platform-render.ts';
import { outsiders, PLATFORM_WORLDS, type PlatformWorld } from '../support/platform-worlds.ts';
import { tempDir } from '../support/workspace.ts';

const ENVIRONMENTS = ['dev', 'staging', 'prod', 'preview'] as const;
const rendered = new Map<PlatformName, Map<EnvironmentName, KubernetesObject[]>>();
const namespaces = new Map<PlatformName, Record<EnvironmentName, string>>();

beforeAll(async () => {
  for (const platform of PLATFORM_NAMES) {
    const config = platformConfig(platform, PLATFORM_WORLDS[platform]());
    rendered.set(platform, await renderEnvironments(config, await tempDir()));
    namespaces.set(
      platform,
      Object.fromEntries(ENVIRONMENTS.map((envName) => [envName, environmentNamespace(config, envName)])) as Record<EnvironmentName, string>,
    );
  }
}, 240_000);

const objectsOf = (platform: PlatformName, envName: EnvironmentName) => rendered.get(platform)!.get(envName)!;
const policy = (platform: PlatformName, envName: EnvironmentName, name: string) => {
  const found = objectsOf(platform, envName).find((object) => object.kind === 'NetworkPolicy' && object.metadata.name === name);
  if (found === undefined) throw new Error(`${platform} ${envName}: no NetworkPolicy ${name}`);
  return found as any;
};

/** The DNS and ingress peers each platform's rendered policies must name: ipBlocks and namespace/pod selectors. */
const EXPECTED_PEERS: Record<PlatformName, { dns: string[]; dnsPort: number; ingress: string[] }> = {
  generic: { dns: ['kube-system/k8s-app=kube-dns'], dnsPort: 53, ingress: ['ingress-nginx'] },
  kind: { dns: ['kube-system/k8s-app=kube-dns'], dnsPort: 53, ingress: ['ingress-nginx'] },
  gke: { dns: ['kube-system/k8s-app=kube-dns', '169.254.20.10/32', '169.254.169.254/32'], dnsPort: 53, ingress: ['130.211.0.0/22', '35.191.0.0/16'] },
  'gke-autopilot': {
    dns: ['169.254.169.254/32', '169.254.20.10/32', 'kube-system/k8s-app=kube-dns'],
    dnsPort: 53,
    ingress: ['130.211.0.0/22', '35.191.0.0/16'],
  },
  eks: { dns: ['kube-system/k8s-app=kube-dns'], dnsPort: 53, ingress: ['10.0.0.0/23'] },
  aks: { dns: ['kube-system/k8s-app=kube-dns', '169.254.10.10/32', '169.254.10.11/32'], dnsPort: 53, ingress: ['app-routing-system/app=nginx'] },
  openshift: {
    dns: ['openshift-dns/dns.operator.openshift.io/daemonset-dns=default'],
    dnsPort: 5353,
    ingress: ['policy-group.network.openshift.io/ingress=', 'policy-group.network.openshift.io/host-network='],
  },
};

/** `namespace/key=value` for a selector peer (the namespace by name or its labels), the CIDR for an ipBlock. */
function describePeer(peer: any): string {
  if (peer.ipBlock) return peer.ipBlock.cidr;
  const namespaceLabels: Record<string, string> = peer.namespaceSelector.matchLabels;
  const namespace =
    namespaceLabels['kubernetes.io/metadata.name'] ??
    Object.entries(namespaceLabels)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
  const pods = Object.entries(peer.podSelector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  return pods.length ? `${namespace}/${pods.join(',')}` : namespace;
}

/** The platforms whose nodes carry topology.kubernetes.io/zone (their cloud provider sets it). */
const ZONE_LABELLED: readonly PlatformName[] = ['gke', 'gke-autopilot', 'eks', 'aks'];

/** The expected StorageClass of the preview database's volume on each platform. */
const STORAGE_CLASS: Record<PlatformName, string | undefined> = {
  generic: undefined,
  kind: 'standard',
  gke: undefined,
  'gke-autopilot': undefined,
  eks: undefined,
  aks: 'default',
  openshift: undefined,
};

describe.each(PLATFORM_NAMES)('platform %s: the rendered policies', (platform) => {
  it.each(ENVIRONMENTS)('%s lets DNS out to the platform resolvers on their port, UDP and TCP', (envName) => {
    const dns = policy(platform, envName, 'allow-dns');
    expect(dns.spec.egress).toHaveLength(1);
    expect(dns.spec.egress[0].to.map(describePeer)).toEqual(EXPECTED_PEERS[platform].dns);
    const port = EXPECTED_PEERS[platform].dnsPort;
    expect(dns.spec.egress[0].ports).toEqual([
      { port, protocol: 'UDP' },
      { port, protocol: 'TCP' },
    ]);
  });

  it.each(ENVIRONMENTS)("%s admits the platform ingress controller, and in dev, staging and prod cert-manager's solver", (envName) => {
    const fromController = policy(platform, envName, 'allow-from-ingress-controller');
    expect(fromController.spec.ingress[0].from.map(describePeer)).toEqual(EXPECTED_PEERS[platform].ingress);
    const solverPolicies = objectsOf(platform, envName).filter((object) => object.metadata.name === 'allow-acme-http01-solver');
    if (envName === 'preview') {
      expect(solverPolicies).toEqual([]); // The example's previews use the controller's wildcard certificate.
      return;
    }
    const solver = policy(platform, envName, 'allow-acme-http01-solver');
    expect(solver.spec.podSelector).toEqual({ matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } });
    expect(solver.spec.ingress).toEqual([{ from: fromController.spec.ingress[0].from, ports: [{ port: 8089, protocol: 'TCP' }] }]);
  });

  it.each(ENVIRONMENTS)('%s: a PodDisruptionBudget for each service that runs more than one pod, selecting its pods', (envName) => {
    const objects = objectsOf(platform, envName);
    const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget') as any[];
    const replicated = objects
      .filter((object) => object.kind === 'Deployment')
      .filter((deployment: any) => (deployment.spec.replicas ?? Infinity) > 1) // no replicas: an autoscaler owns them
      .map((deployment) => deployment.metadata.name)
      .sort();
    expect(budgets.map((budget) => budget.metadata.name).sort()).toEqual(replicated);
    for (const budget of budgets) {
      expect(budget.spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': budget.metadata.name, 'app.kubernetes.io/part-of': 'checkout' } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    }
    expect(replicated.length > 0).toBe(envName === 'staging' || envName === 'prod');
  });

  it.each(ENVIRONMENTS)(
    '%s: the workload defaults: preStop sleep under the grace period, spread where replicated, no derived liveness, IfNotPresent for digests, HOME',
    (envName) => {
      const objects = objectsOf(platform, envName) as any[];
      const deployments = objects.filter((object) => object.kind === 'Deployment');
      expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(['api', 'web', 'worker']);
      for (const deployment of deployments) {
        const name: string = deployment.metadata.name;
        const pod = deployment.spec.template.spec;
        const [main] = pod.containers;
        // api and web serve on a port; the worker has none, so nothing waits for it to leave a Service's endpoints.
        if (name === 'worker') {
          expect(main.lifecycle, name).toBeUndefined();
          expect(pod.terminationGracePeriodSeconds, name).toBeUndefined();
        } else {
          expect(main.lifecycle, name).toEqual({ preStop: { sleep: { seconds: 5 } } });
          expect(pod.terminationGracePeriodSeconds, name).toBe(35);
        }
        expect(main.livenessProbe, name).toBeUndefined();
        const replicated = deployment.spec.replicas === undefined || deployment.spec.replicas > 1; // no replicas: autoscaled (3-10)
        const selector = { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'checkout' } };
        // Over zones only where the platform's nodes carry the zone label: a key some nodes lack switches the spread off.
        const keys = ZONE_LABELLED.includes(platform) ? ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] : ['kubernetes.io/hostname'];
        expect(pod.topologySpreadConstraints, name).toEqual(
          replicated ? keys.map((topologyKey) => ({ labelSelector: selector, maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway' })) : undefined,
        );
        expect(replicated, name).toBe(envName === 'staging' || envName === 'prod');
        expect(objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === `${name}-config`).data.HOME, name).toBe('/tmp');
      }
      const containers = objects
        .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
        .flatMap((object) => [...(object.spec.template.spec.initContainers ?? []), ...object.spec.template.spec.containers]);
      const byDigest = containers.filter((container) => container.image.includes('@sha256:'));
      expect(byDigest.length > 0).toBe(envName === 'staging' || envName === 'prod');
      for (const container of containers)
        expect(container.imagePullPolicy, container.image).toBe(container.image.includes('@sha256:') ? 'IfNotPresent' : undefined);
    },
  );

  it('puts the preview database on the platform StorageClass', () => {
    const database = objectsOf(platform, 'preview').find((object) => object.kind === 'StatefulSet')! as any;
    expect(database.spec.volumeClaimTemplates[0].spec.storageClassName).toBe(STORAGE_CLASS[platform]);
  });
});

describe.each(PLATFORM_NAMES)('platform %s: the fence as a network plugin enforces it', (platform) => {
  const world: PlatformWorld = PLATFORM_WORLDS[platform]();
  const outside = outsiders();

  const setup = (envName: EnvironmentName) => {
    const objects = objectsOf(platform, envName);
    const namespace = namespaces.get(platform)![envName];
    const pods = environmentPods(objects, namespace);
    const solver: ModelPod = { namespace, name: 'cm-acme-http-solver', labels: { 'acme.cert-manager.io/http01-solver': 'true' }, ip: '10.50.9.9' };
    const allNamespaces = [...world.namespaces, ...outside.namespaces, { name: namespace }];
    if (!allNamespaces.some((candidate) => candidate.name === 'kube-system')) allNamespaces.push({ name: 'kube-system' });
    const cluster = new NetworkPolicyEvaluator(allNamespaces, networkPolicies(objects));
    const app = (kind: string, name: string): ModelEndpoint => ({ pod: podOf(pods, kind, name) });
    const can = (from: ModelEndpoint, to: ModelEndpoint, port: number, protocol: Protocol = 'TCP') => cluster.allows(from, to, port, protocol);
    return { pods, solver, can, app, appPods: pods.map((pod): ModelEndpoint => ({ pod })) };
  };

  it.each(ENVIRONMENTS)('%s: every pod resolves names through the platform DNS, and through nothing else', (envName) => {
    const { appPods, can } = setup(envName);
    for (const from of appPods) {
      for (const { endpoint, port } of world.dnsServers) {
        expect(can(from, endpoint, port, 'UDP'), `${show(from)} → ${show(endpoint)}:${port}/UDP`).toBe(true);
        expect(can(from, endpoint, port, 'TCP'), `${show(from)} → ${show(endpoint)}:${port}/TCP`).toBe(true);
      }
      for (const fake of [outside.publicResolver, ...outside.pods.map((pod) => ({ pod }))]) {
        expect(can(from, fake, 53, 'UDP'), `${show(from)} → ${show(fake)}:53`).toBe(false);
      }
    }
  });

  it.each(ENVIRONMENTS)('%s: the ingress controller reaches web on its container port, and only web', (envName) => {
    const { app, can } = setup(envName);
    for (const controller of world.ingressController) {
      expect(can(controller, app('Deployment', 'web'), 3000), show(controller)).toBe(true);
      expect(can(controller, app('Deployment', 'api'), 8080), show(controller)).toBe(false);
      expect(can(controller, app('Deployment', 'web'), 9000), show(controller)).toBe(false);
    }
    for (const pod of outside.pods) {
      expect(can({ pod }, app('Deployment', 'web'), 3000), pod.name).toBe(false);
      expect(can({ pod }, app('Deployment', 'api'), 8080), pod.name).toBe(false);
    }
    expect(can(outside.internet, app('Deployment', 'web'), 3000)).toBe(false);
  });

  it.each(['dev', 'staging', 'prod'] as const)("%s: the ingress controller reaches cert-manager's HTTP-01 solver on 8089, nobody else does", (envName) => {
    const { solver, can } = setup(envName);
    for (const controller of world.ingressController) expect(can(controller, { pod: solver }, 8089), show(controller)).toBe(true);
    for (const pod of outside.pods) expect(can({ pod }, { pod: solver }, 8089), pod.name).toBe(false);
    expect(can(outside.internet, { pod: solver }, 8089)).toBe(false);
  });

  it.each(['dev', 'staging', 'prod'] as const)('%s: api and its migration reach the external database; web and worker do not', (envName) => {
    const { app, can } = setup(envName);
    const database: ModelEndpoint = { ip: EXTERNAL_DATABASE.ip };
    expect(can(app('Deployment', 'api'), database, EXTERNAL_DATABASE.port)).toBe(true);
    expect(can(app('Job', 'api-migrate'), database, EXTERNAL_DATABASE.port)).toBe(true);
    expect(can(app('Deployment', 'api'), database, 22)).toBe(false);
    expect(can(app('Deployment', 'web'), database, EXTERNAL_DATABASE.port)).toBe(false);
    expect(can(app('Deployment', 'worker'), database, EXTERNAL_DATABASE.port)).toBe(false);
  });

  it('preview: api and its migration reach their own database in the namespace; outsiders do not', () => {
    const { app, can } = setup('preview');
    const database = app('StatefulSet', 'api-postgres');
    expect(can(app('Deployment', 'api'), database, 5432)).toBe(true);
    expect(can(app('Job', 'api-migrate'), database, 5432)).toBe(true);
    for (const pod of outside.pods) expect(can({ pod }, database, 5432), pod.name).toBe(false);
    expect(can(app('Deployment', 'api'), { ip: EXTERNAL_DATABASE.ip }, EXTERNAL_DATABASE.port)).toBe(false);
  });

  it('the metadata server: prod api, which declares it, reaches it; nobody else does', () => {
    const prod = setup('prod');
    const dev = setup('dev');
    for (const { endpoint, port } of world.metadataServer) {
      expect(prod.can(prod.app('Deployment', 'api'), endpoint, port), show(endpoint)).toBe(true);
      expect(prod.can(prod.app('Deployment', 'web'), endpoint, port), show(endpoint)).toBe(false);
      expect(dev.can(dev.app('Deployment', 'api'), endpoint, port), show(endpoint)).toBe(false);
    }
    // Where the platform has none, nothing reaches the usual address either.
    expect(prod.can(prod.app('Deployment', 'web'), { ip: '169.254.169.254' }, 80)).toBe(false);
  });

  it('the internet: prod reaches HTTPS outside private networks as declared; dev, staging and previews reach nothing', () => {
    const prod = setup('prod');
    expect(prod.can(prod.app('Deployment', 'web'), outside.internet, 443)).toBe(true);
    expect(prod.can(prod.app('Deployment', 'web'), outside.internet, 80)).toBe(false);
    expect(prod.can(prod.app('Deployment', 'web'), { ip: '10.99.0.2' }, 443)).toBe(false);
    for (const envName of ['dev', 'staging', 'preview'] as const) {
      const { pods, can } = setup(envName);
      // The database-credentials Job talks to the API server, whose address the configuration does not know yet
      // (its policy, allow-api-server, is issue 10's): the application's own pods are what this fence is about.
      const application = pods.filter((pod) => pod.labels['dynenv.io/component'] !== 'database-credentials');
      expect(application.length).toBeGreaterThan(2);
      for (const pod of application) expect(can({ pod }, outside.internet, 443), `${envName} ${show({ pod })}`).toBe(false);
    }
  });

  it.each(ENVIRONMENTS)('%s: pods of the environment reach each other', (envName) => {
    const { app, can } = setup(envName);
    expect(can(app('Deployment', 'web'), app('Deployment', 'api'), 8080)).toBe(true);
    expect(can(app('Deployment', 'worker'), app('Deployment', 'api'), 8080)).toBe(true);
  });
});

function show(endpoint: ModelEndpoint): string {
  return 'pod' in endpoint ? `${endpoint.pod.namespace}/${endpoint.pod.name}` : endpoint.ip;
}
