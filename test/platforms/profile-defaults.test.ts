/**
 * Every default of every platform profile against the value its cited source gives: each fact a profile states
 * (a DNS or ingress peer, a port, a class name, a metadata address, "always enforces NetworkPolicy", …) must be
 * cited, each cited passage must be in the source's recorded quotes, and the fact's value must be read in them.
 * A profile that changes a value without its source, or a citation left behind, fails.
 */
import { describe, expect, it } from 'vitest';
import type { EgressDestination, NetworkPeer } from '../../src/config/network-schema.ts';
import { PLATFORM_NAMES, PLATFORM_PROFILES, type PlatformName, type PlatformProfile } from '../../src/platforms/index.ts';
import { PLATFORM_SOURCES, type SourceId } from './platform-sources.ts';

interface Fact {
  readonly key: string;
  /** What must be read in the cited passages for the fact to be attested. */
  readonly values: readonly string[];
}

/** The address of a one-address block, else the block itself: documents name hosts without "/32". */
const blockValue = (cidr: string) => (/\/(32|128)$/.test(cidr) ? cidr.replace(/\/\d+$/, '') : cidr);

function peerFact(kind: string, peer: NetworkPeer): Fact {
  if ('cidr' in peer) return { key: `${kind} peer ${peer.cidr}`, values: [blockValue(peer.cidr)] };
  const labels = [...Object.entries(peer.namespaceLabels), ...Object.entries(peer.podLabels ?? {})];
  const described = labels.map(([key, value]) => `${key}=${value}`).join(',');
  return {
    key: `${kind} peer ${described}`,
    values: labels.flatMap(([key, value]) => (key === 'kubernetes.io/metadata.name' ? [value] : value ? [key, value] : [key])),
  };
}

function metadataFact(destination: EgressDestination): Fact {
  const ports = destination.ports ?? [];
  return {
    key: `metadata server ${destination.cidr} ${ports.map((port) => `${port.port}/${port.protocol}`).join(',')}`,
    values: [blockValue(destination.cidr), ...ports.map((port) => `port ${port.port}`)],
  };
}

/** The facts a profile states; absent knowledge ("unknown", "when enabled", no metadata server, no zone label known) needs no source. */
export function profileFacts(profile: PlatformProfile): Fact[] {
  return [
    ...profile.dns.peers.map((peer) => peerFact('dns', peer)),
    ...profile.dns.ports.map((port) => ({ key: `dns port ${port}`, values: [`port ${port}`] })),
    ...profile.ingressFrom.map((peer) => peerFact('ingress', peer)),
    ...(profile.ingressClassName ? [{ key: `ingress class ${profile.ingressClassName}`, values: [profile.ingressClassName] }] : []),
    ...(profile.storageClass.name ? [{ key: `storage class ${profile.storageClass.name}`, values: [profile.storageClass.name] }] : []),
    ...(profile.storageClass.clusterDefault !== 'unknown' ? [{ key: `default storage class ${profile.storageClass.clusterDefault}`, values: [] }] : []),
    ...(profile.networkPolicy.enforced === 'always' ? [{ key: 'network policy always enforced', values: [] }] : []),
    ...profile.metadataServer.map(metadataFact),
    ...(profile.servicePortMustMatchContainerPort ? [{ key: 'service port must equal the container port', values: [] }] : []),
    ...(profile.nodeZoneLabel ? [{ key: 'nodes carry the zone label', values: ['topology.kubernetes.io/zone'] }] : []),
  ];
}

type Citation = readonly [SourceId, string];

/** The passages that attest each fact, per platform. `port N` is read as N after "port" (any case), ":N", "N/UDP", or an http:// URL for 80. */
const CITATIONS: Record<string, readonly Citation[]> = {};
function cite(platforms: readonly PlatformName[], fact: string, ...passages: Citation[]) {
  for (const platform of platforms) CITATIONS[`${platform}: ${fact}`] = passages;
}

const KUBE_DNS = 'dns peer kubernetes.io/metadata.name=kube-system,k8s-app=kube-dns';
cite(['generic'], KUBE_DNS, ['kubernetes-coredns-addon', 'namespace: kube-system\n  labels:\n    k8s-app: kube-dns']);
cite(['generic'], 'dns port 53', ['kubernetes-coredns-addon', 'containerPort: 53']);
cite(['generic'], 'ingress peer kubernetes.io/metadata.name=ingress-nginx', [
  'ingress-nginx-deploy',
  'kind: Namespace\nmetadata:\n  labels:\n    app.kubernetes.io/instance: ingress-nginx\n    app.kubernetes.io/name: ingress-nginx\n  name: ingress-nginx',
]);

cite(['kind'], KUBE_DNS, ['kubeadm-coredns', 'namespace: kube-system\n  labels:\n    k8s-app: kube-dns']);
cite(['kind'], 'dns port 53', ['kubeadm-coredns', 'containerPort: 53']);
cite(['kind'], 'ingress peer kubernetes.io/metadata.name=ingress-nginx', ['kind-ingress-nginx', 'name: ingress-nginx'], ['kind-ingress-nginx', 'hostPort: 80']);
cite(['kind'], 'storage class standard', ['kind-storage-class', 'name: standard']);
cite(['kind'], 'default storage class present', ['kind-storage-class', 'storageclass.kubernetes.io/is-default-class: "true"']);

const GKE = ['gke', 'gke-autopilot'] as const;
cite(GKE, KUBE_DNS, ['kubernetes-kube-dns-addon', 'namespace: kube-system\n  labels:\n    k8s-app: kube-dns']);
cite(GKE, 'dns port 53', ['kubernetes-kube-dns-addon', 'containerPort: 53']);
cite(GKE, 'dns peer 169.254.20.10/32', ['nodelocaldns-readme', 'link local ip(169.254.20.10/32 by default)']);
cite(GKE, 'dns peer 169.254.169.254/32', ['gcp-cloud-dns-name-server', 'use the metadata server IP address (`169.254.169.254`) as its name server']);
for (const range of ['130.211.0.0/22', '35.191.0.0/16']) {
  cite(GKE, `ingress peer ${range}`, ['gce-l7-load-balancer-ranges', `"${range}"`], ['gce-l7-load-balancer-ranges', 'L7 LB traffic proxy & health checks']);
}
cite(GKE, 'metadata server 169.254.169.254/32 80/TCP', ['gke-metadata-server-translation', '169.254.169.254:80']);
cite(GKE, 'metadata server 169.254.169.252/32 988/TCP', ['gke-metadata-server-translation', 'to 169.254.169.252:988']);
cite(GKE, 'nodes carry the zone label', ['gke-zonal-topology', 'topology.kubernetes.io/zone: ZONE node label']);
cite(
  ['gke-autopilot'],
  'network policy always enforced',
  ['gke-dataplane-v2-autopilot', 'always enabled in new Autopilot clusters'],
  ['gke-dataplane-v2-network-policy', 'Network policy is always on in clusters with Dataplane V2'],
);

cite(['eks'], KUBE_DNS, ['eks-coredns', '-l k8s-app=kube-dns -n kube-system']);
cite(['eks'], 'dns port 53', ['eks-kube-dns-service', '53/UDP,53/TCP']);
cite(['eks'], 'default storage class absent', ['eks-1.30-storage-class', 'Amazon EKS no longer includes the `default` annotation on the `gp2 StorageClass`']);
cite(
  ['eks'],
  'nodes carry the zone label',
  ['eks-zone-label', 'such as `topology.kubernetes.io/zone` for availability zones'],
  ['eks-zone-spread', 'topologyKey: "topology.kubernetes.io/zone"'],
);
cite(['eks'], 'service port must equal the container port', ['eks-network-policy-considerations', 'the service port must be the same as the container port']);
cite(
  ['eks'],
  'metadata server 169.254.169.254/32 80/TCP',
  ['ec2-imds-endpoints', 'IPv4 (`169.254.169.254`)'],
  ['ec2-imds-retrieval', 'http://169.254.169.254/'],
);
cite(
  ['eks'],
  'metadata server fd00:ec2::254/128 80/TCP',
  ['ec2-imds-endpoints', 'IPv6 (`[fd00:ec2::254]`)'],
  ['ec2-imds-retrieval', 'http://169.254.169.254/'],
  ['ec2-imds-retrieval', 'use the IPv6 address instead: [fd00:ec2::254]'],
);
cite(
  ['eks'],
  'metadata server 169.254.170.23/32 80/TCP',
  ['eks-pod-identity-agent', 'it uses port `80`'],
  ['eks-pod-identity-agent', 'This address is `169.254.170.23` for [.noloc]`IPv4`'],
);
cite(
  ['eks'],
  'metadata server fd00:ec2::23/128 80/TCP',
  ['eks-pod-identity-agent', 'it uses port `80`'],
  ['eks-pod-identity-agent', '`[fd00:ec2::23]` for [.noloc]`IPv6` clusters'],
);

cite(['aks'], KUBE_DNS, ['aks-coredns', '--namespace kube-system -l k8s-app=kube-dns']);
cite(['aks'], 'dns port 53', ['aks-localdns', 'port: "53"']);
cite(['aks'], 'dns peer 169.254.10.10/32', ['aks-localdns', '`169.254.10.10`']);
cite(['aks'], 'dns peer 169.254.10.11/32', ['aks-localdns', '`169.254.10.11`']);
cite(
  ['aks'],
  'ingress peer kubernetes.io/metadata.name=app-routing-system,app=nginx',
  ['aks-app-routing', 'the `app-routing-system` namespace'],
  ['aks-app-routing-operator-nginx', 'matchLabels:\n      app: nginx'],
);
cite(['aks'], 'ingress class webapprouting.kubernetes.azure.com', ['aks-app-routing', 'an Ingress class named _webapprouting.kubernetes.azure.com_']);
cite(['aks'], 'nodes carry the zone label', ['aks-zones', 'Kubernetes uses the `topology.kubernetes.io/zone` label to automatically distribute pods']);
cite(['aks'], 'storage class default', ['aks-storage', 'The `default` class']);
cite(['aks'], 'default storage class present', [
  'aks-storage',
  'Unless you specify a storage class for a persistent volume, the default storage class is used.',
]);
cite(
  ['aks'],
  'metadata server 169.254.169.254/32 80/TCP',
  ['aks-imds', 'nonroutable IP address (169.254.169.254)'],
  ['aks-imds', '"http://169.254.169.254/metadata/instance'],
);

cite(
  ['openshift'],
  'dns peer kubernetes.io/metadata.name=openshift-dns,dns.operator.openshift.io/daemonset-dns=default',
  ['openshift-dns-names', 'DefaultOperandNamespace = "openshift-dns"'],
  ['openshift-dns-names', 'controllerDaemonSetLabel = "dns.operator.openshift.io/daemonset-dns"'],
  ['openshift-dns-names', 'DefaultDNSName = "default"'],
);
cite(['openshift'], 'dns port 5353', ['openshift-dns-daemonset', 'containerPort: 5353']);
cite(['openshift'], 'ingress peer policy-group.network.openshift.io/ingress=', ['openshift-router-namespace', 'policy-group.network.openshift.io/ingress: ""']);
cite(
  ['openshift'],
  'ingress peer policy-group.network.openshift.io/host-network=',
  ['openshift-canary-policy', 'policy-group.network.openshift.io/host-network: ""'],
  ['openshift-canary-policy', "the router's namespace or the host network"],
);
cite(
  ['openshift'],
  'network policy always enforced',
  ['openshift-ovn-kubernetes', 'is the default network provider for OpenShift Container Platform'],
  ['openshift-ovn-kubernetes', 'policy enforcement across the nodes'],
);

/** Whether the passages say `value`: plain text, or for `port N` the number written as a port. */
function attested(value: string, passages: readonly string[]): boolean {
  const text = passages.join('\n');
  const port = /^port (\d+)$/.exec(value)?.[1];
  if (port === undefined) return text.includes(value);
  const asPort = new RegExp(`(port[\`: "]*${port}\\b|:${port}\\b|\\b${port}/(UDP|TCP))`, 'i');
  // An http:// URL is port 80.
  return asPort.test(text) || (port === '80' && text.includes('http://'));
}

const facts = PLATFORM_NAMES.flatMap((platform) =>
  profileFacts(PLATFORM_PROFILES[platform]).map((fact) => ({ platform, ...fact, id: `${platform}: ${fact.key}` })),
);

describe('platform profile defaults against their sources', () => {
  it('cites every fact of every profile, and nothing that no profile states', () => {
    expect(Object.keys(CITATIONS).sort()).toEqual(facts.map((fact) => fact.id).sort());
  });

  it.each(facts)('$id', ({ id, values }) => {
    const passages = CITATIONS[id]!;
    expect(passages.length).toBeGreaterThan(0);
    for (const [source, passage] of passages) {
      expect(
        PLATFORM_SOURCES[source].quotes.some((quote) => quote.includes(passage)),
        `"${passage}" is not in the quotes of ${source}`,
      ).toBe(true);
    }
    for (const value of values) {
      expect(
        attested(
          value,
          passages.map(([, passage]) => passage),
        ),
        `${id}: "${value}" is not read in the cited passages`,
      ).toBe(true);
    }
  });

  it('records where each source is and under which licence', () => {
    for (const [id, source] of Object.entries(PLATFORM_SOURCES)) {
      expect(source.url, id).toMatch(/^https:\/\//);
      expect(source.licence, id).not.toBe('');
      expect(source.quotes.length, id).toBeGreaterThan(0);
    }
  });

  it('reads values only where the passages give them (the check itself)', () => {
    expect(attested('port 53', ['containerPort: 53'])).toBe(true);
    expect(attested('port 53', ['containerPort: 5353'])).toBe(false);
    expect(attested('port 988', ['to 169.254.169.252:988'])).toBe(true);
    expect(attested('port 80', ['it uses port `80`'])).toBe(true);
    expect(attested('port 5353', ['port: 53'])).toBe(false);
    expect(attested('169.254.20.10', ['ip(169.254.20.11/32)'])).toBe(false);
  });
});
