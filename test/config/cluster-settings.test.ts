/** `cluster:` and the network settings of each environment: defaults from the platform, overrides field by field, exact errors. */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { resolveCluster } from '../../src/config/resolve-cluster.ts';
import { resolveEgress } from '../../src/config/resolve-egress.ts';
import { problems as rejection } from '../support/config-problems.ts';
import { EXAMPLE_TEXT, configWith } from '../support/example.ts';

/** The problems the example is rejected with once `edit` changed it. */
function problems(edit: (data: Record<string, any>) => void): string[] {
  const data = parse(EXAMPLE_TEXT) as Record<string, any>;
  edit(data);
  return rejection(stringify(data));
}

describe('platform defaults, overridden field by field', () => {
  it('takes every default from the profile', () => {
    const cluster = resolveCluster(configWith((data) => (data.cluster = { platform: 'openshift' })));
    expect(cluster.dns).toEqual({
      peers: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' }, podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } }],
      ports: [5353],
    });
    expect(cluster.networkPolicyEnforced).toBe(true);
    expect(cluster.storageClassName).toBeUndefined();
    expect(cluster.defaultStorageClass).toBe('unknown');
  });

  it('replaces only the field that is set', () => {
    const cluster = resolveCluster(
      configWith((data) => (data.cluster = { platform: 'gke', dns: { ports: [5353] }, storageClassName: 'premium-rwo', networkPolicyEnforced: true })),
    );
    expect(cluster.dns.ports).toEqual([5353]);
    expect(cluster.dns.peers.map((peer) => ('cidr' in peer ? peer.cidr : 'pods'))).toEqual(['pods', '169.254.20.10/32', '169.254.169.254/32']);
    expect(cluster.ingressFrom).toEqual([{ cidr: '130.211.0.0/22' }, { cidr: '35.191.0.0/16' }]);
    expect(cluster.storageClassName).toBe('premium-rwo');
    expect(cluster.defaultStorageClass).toBe('present');
    expect(cluster.networkPolicyEnforced).toBe(true);
  });

  it('keeps the older shorthands working', () => {
    const cluster = resolveCluster(configWith((data) => (data.cluster = { ingressControllerNamespace: 'traefik', dnsPodLabels: { 'k8s-app': 'coredns' } })));
    expect(cluster.ingressFrom).toEqual([{ namespaceLabels: { 'kubernetes.io/metadata.name': 'traefik' } }]);
    expect(cluster.dns.peers).toEqual([{ namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, podLabels: { 'k8s-app': 'coredns' } }]);
  });

  it('keeps only the addresses of the IP families the pods use', () => {
    const ipv4 = resolveCluster(configWith((data) => (data.cluster = { platform: 'eks', ingressController: { from: [{ cidr: '10.0.0.0/23' }] } })));
    expect(ipv4.metadataServer.map((destination) => destination.cidr)).toEqual(['169.254.169.254/32', '169.254.170.23/32']);
    const ipv6 = resolveCluster(
      configWith((data) => {
        data.cluster = { platform: 'eks', ipFamilies: ['IPv6'], ingressController: { from: [{ cidr: '2600:1f14::/56' }] } };
        data.environments.prod.network.allowEgress = [{ cidr: '::/0', except: ['fc00::/7'], ports: [443] }];
      }),
    );
    expect(ipv6.metadataServer.map((destination) => destination.cidr)).toEqual(['fd00:ec2::254/128', 'fd00:ec2::23/128']);
  });
});

describe('egress of an environment and of each service', () => {
  const config = configWith((data) => {
    data.cluster = { platform: 'aks' };
    data.environments.staging.database = { cidr: '10.1.0.4/32' };
    data.environments.staging.network = { allowEgress: [{ cidr: '203.0.113.0/24', ports: [443, { port: 5000, endPort: 5010, protocol: 'UDP' }] }] };
    data.environments.staging.services.worker = { ...data.environments.staging.services.worker, egress: [{ to: 'metadata-server' }, { to: 'database' }] };
  });
  const egress = resolveEgress(config, 'staging', resolveCluster(config));

  it('gives every pod the environment rules, ports with their protocol', () => {
    expect(egress.everyPod).toEqual([
      {
        cidr: '203.0.113.0/24',
        ports: [
          { port: 443, protocol: 'TCP' },
          { port: 5000, endPort: 5010, protocol: 'UDP' },
        ],
      },
    ]);
  });

  it('gives the service with a database its database (default port 5432), and the named destinations where declared', () => {
    expect(egress.services).toEqual([
      { service: 'api', destinations: [{ cidr: '10.1.0.4/32', ports: [{ port: 5432, protocol: 'TCP' }] }] },
      {
        service: 'worker',
        destinations: [
          { cidr: '169.254.169.254/32', ports: [{ port: 80, protocol: 'TCP' }] },
          { cidr: '10.1.0.4/32', ports: [{ port: 5432, protocol: 'TCP' }] },
        ],
      },
    ]);
  });

  it('gives a preview no external database: its own is in the namespace', () => {
    expect(resolveEgress(config, 'preview', resolveCluster(config)).services).toEqual([]);
  });
});

const cases: Array<{ name: string; edit: (data: Record<string, any>) => void; expected: string[] }> = [
  {
    name: 'an unknown platform',
    edit: (data) => (data.cluster.platform = 'k3s'),
    expected: ['dynenv.yaml: cluster.platform: expected one of "generic", "kind", "gke", "gke-autopilot", "eks", "aks", "openshift", got "k3s"'],
  },
  {
    name: 'an Ingress on a platform without an ingress controller of its own',
    edit: (data) => (data.cluster = { platform: 'eks' }),
    expected: [
      'dynenv.yaml: cluster.ingressController.from: Amazon EKS has no ingress controller of its own, and an Ingress needs one: name where its traffic comes from, e.g. [{ namespace: ingress-nginx }], or the subnets of your load balancers ([{ cidr: 10.0.0.0/16 }]) for the AWS Load Balancer Controller in IP mode',
    ],
  },
  {
    name: 'a shorthand beside the field it abbreviates',
    edit: (data) => (data.cluster.ingressController = { from: [{ namespace: 'traefik' }] }),
    expected: ['dynenv.yaml: cluster.ingressControllerNamespace: set either this or "cluster.ingressController.from", not both'],
  },
  {
    name: 'a peer that is both pods and addresses',
    edit: (data) => (data.cluster.dns = { peers: [{ namespace: 'kube-system', cidr: '169.254.20.10/32' }] }),
    expected: ['dynenv.yaml: cluster.dns.peers[0]: expected either "cidr" or "namespace"/"namespaceLabels"/"podLabels", not both'],
  },
  {
    name: 'pod labels without a namespace',
    edit: (data) => (data.cluster.dns = { peers: [{ podLabels: { 'k8s-app': 'kube-dns' } }] }),
    expected: [
      'dynenv.yaml: cluster.dns.peers[0]: expected "namespace", "namespaceLabels" or "cidr" (pod labels alone would only match this environment\'s own pods)',
    ],
  },
  {
    name: 'a malformed CIDR',
    edit: (data) => (data.environments.prod.network.allowEgress[0].cidr = '10.0.0.0/33'),
    expected: ['dynenv.yaml: environments.prod.network.allowEgress[0].cidr: expected a CIDR such as "10.0.0.0/8" or "fd00::/8", got "10.0.0.0/33"'],
  },
  {
    name: 'a rule with both an address and a name',
    edit: (data) => (data.environments.prod.network.allowEgress[0].to = 'database'),
    expected: [
      'dynenv.yaml: environments.prod.network.allowEgress[0]: expected exactly one of "cidr" or "to"',
      'dynenv.yaml: environments.prod.network.allowEgress[0]: "to: database" brings its own addresses and ports: leave out "ports" and "except"',
    ],
  },
  {
    name: 'an API server address that is not a CIDR',
    edit: (data) => (data.cluster.apiServer = { addresses: ['172.18.0.2'] }),
    expected: ['dynenv.yaml: cluster.apiServer.addresses[0]: expected a CIDR such as "10.0.0.0/8" or "fd00::/8", got "172.18.0.2"'],
  },
  {
    name: 'an API server without addresses',
    edit: (data) => (data.cluster.apiServer = { addresses: [] }),
    expected: ['dynenv.yaml: cluster.apiServer.addresses: expected at least one address (a CIDR such as 172.18.0.2/32), got []'],
  },
  {
    name: 'the metadata server on a platform without one',
    edit: (data) => data.environments.prod.network.allowEgress.push({ to: 'metadata-server' }),
    expected: [
      'dynenv.yaml: environments.prod.network.allowEgress[1].to: a generic Kubernetes cluster has no metadata server dynenv knows: set "cluster.metadataServer" (its addresses and ports)',
    ],
  },
  {
    name: 'the database of an environment that has none',
    edit: (data) => (data.environments.dev.services = { api: { egress: [{ to: 'database' }] } }),
    expected: ['dynenv.yaml: environments.dev.services.api.egress[0].to: no external database in dev: set "environments.dev.database"'],
  },
  {
    name: 'an external database for previews',
    edit: (data) => (data.environments.preview.database = { cidr: '10.1.0.4/32' }),
    expected: ['dynenv.yaml: environments.preview.database: a preview runs its own database in its namespace: leave this out'],
  },
  {
    name: 'a database for a service that has none',
    edit: (data) => (data.environments.prod.services.web.database = { cidr: '10.1.0.4/32' }),
    expected: ['dynenv.yaml: environments.prod.services.web.database: needs "database" on service "web"'],
  },
  {
    name: 'an IPv4 rule on an IPv6-only cluster',
    edit: (data) => (data.cluster.ipFamilies = ['IPv6']),
    expected: [
      'dynenv.yaml: environments.prod.network.allowEgress[0].cidr: "0.0.0.0/0" is IPv4, and the cluster\'s pods use IPv6 only (cluster.ipFamilies): the rule would match nothing',
      ...['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'].map(
        (block) =>
          `dynenv.yaml: environments.prod.network.allowEgress[0].except: "${block}" is IPv4, and the cluster's pods use IPv6 only (cluster.ipFamilies): the rule would match nothing`,
      ),
    ],
  },
  {
    name: 'a port range that ends before it starts',
    edit: (data) => (data.environments.prod.network.allowEgress[0].ports = [{ port: 500, endPort: 400 }]),
    expected: ['dynenv.yaml: environments.prod.network.allowEgress[0].ports[0]: expected "endPort" at least "port"'],
  },
];

describe('network settings that are refused', () => {
  it.each(cases)('$name', ({ edit, expected }) => {
    expect(problems(edit)).toEqual(expected);
  });
});
