/**
 * The cluster as the fences need it: the platform profile's defaults with `cluster.*` laid over them field by
 * field, and address blocks kept only for the IP families the cluster's pods use (an IPv4 rule on an IPv6
 * cluster matches nothing, and some network plugins refuse it).
 */
import { PLATFORM_PROFILES, type PlatformProfile } from '../platforms/index.ts';
import { cidrFamily, egressDestination, networkPeer, type EgressDestination, type NetworkPeer } from './network-schema.ts';
import type { Config } from './schema.ts';

export type IpFamily = 'IPv4' | 'IPv6';

export interface ResolvedCluster {
  readonly profile: PlatformProfile;
  readonly dns: { readonly peers: readonly NetworkPeer[]; readonly ports: readonly number[] };
  /** Where the ingress controller's traffic comes from; [] when nothing says (an error once an Ingress needs it). */
  readonly ingressFrom: readonly NetworkPeer[];
  readonly ingressClassName: string | undefined;
  /** The StorageClass dynenv writes on its volumes; undefined leaves the claim to the cluster's default. */
  readonly storageClassName: string | undefined;
  /** Whether a claim without a StorageClass binds: the cluster has a default (or one is named). */
  readonly defaultStorageClass: 'present' | 'absent' | 'unknown';
  /** undefined: nobody said (dynenv validate warns). */
  readonly networkPolicyEnforced: boolean | undefined;
  readonly ipFamilies: readonly IpFamily[];
  /** `to: metadata-server`; [] when the platform has none and nothing is configured. */
  readonly metadataServer: readonly EgressDestination[];
  /** How cert-manager solves challenges; undefined: unknown (the HTTP-01 solver is admitted, and validate warns). */
  readonly acmeSolver: 'http01' | 'dns01' | undefined;
  readonly apiServerPorts: readonly number[];
  /** `cluster.apiServer.addresses`; [] when nobody said (the API-server egress rules then name no address). */
  readonly apiServerAddresses: readonly string[];
  /** Nodes carry topology.kubernetes.io/zone: replicated services spread over zones too. */
  readonly nodeZoneLabel: boolean;
}

export function resolveCluster(config: Config): ResolvedCluster {
  const cluster = config.cluster;
  const profile = PLATFORM_PROFILES[cluster.platform];
  const families = cluster.ipFamilies;
  const inFamilies = <T extends { cidr: string }>(block: T) => families.includes(cidrFamily(block.cidr));
  const profilePeers = (peers: readonly NetworkPeer[]) => peers.filter((peer) => !('cidr' in peer) || inFamilies(peer));
  const storageClassName = cluster.storageClassName ?? profile.storageClass.name;
  return {
    profile,
    dns: {
      peers: configuredDnsPeers(config) ?? profilePeers(profile.dns.peers),
      ports: cluster.dns.ports ?? profile.dns.ports,
    },
    ingressFrom:
      cluster.ingressController.from?.map(networkPeer) ??
      (cluster.ingressControllerNamespace !== undefined ? [networkPeer({ namespace: cluster.ingressControllerNamespace })] : profilePeers(profile.ingressFrom)),
    ingressClassName: cluster.ingressClassName ?? profile.ingressClassName,
    storageClassName,
    defaultStorageClass: storageClassName !== undefined ? 'present' : profile.storageClass.clusterDefault,
    networkPolicyEnforced: cluster.networkPolicyEnforced ?? (profile.networkPolicy.enforced === 'always' ? true : undefined),
    ipFamilies: families,
    metadataServer: cluster.metadataServer?.map(egressDestination) ?? profile.metadataServer.filter(inFamilies),
    acmeSolver: cluster.certManager.solver,
    apiServerPorts: cluster.apiServerPorts,
    apiServerAddresses: cluster.apiServer?.addresses ?? [],
    nodeZoneLabel: cluster.nodeZoneLabel ?? profile.nodeZoneLabel,
  };
}

/** `dns.peers`, or the older `dnsNamespace`/`dnsPodLabels` shorthand; undefined when neither is set. */
function configuredDnsPeers(config: Config): NetworkPeer[] | undefined {
  const cluster = config.cluster;
  if (cluster.dns.peers !== undefined) return cluster.dns.peers.map(networkPeer);
  if (cluster.dnsNamespace === undefined && cluster.dnsPodLabels === undefined) return undefined;
  return [networkPeer({ namespace: cluster.dnsNamespace ?? 'kube-system', podLabels: cluster.dnsPodLabels ?? {} })];
}
