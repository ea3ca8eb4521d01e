/** Peers, destinations and ports of dynenv.yaml in the shape of a NetworkPolicy's rules. */
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { SYNC_WAVES, syncWave } from './argocd-sync.ts';
import { appLabels } from './labels.ts';
import type { EgressDestination, NetworkPeer, PortSpec } from '../config/network-schema.ts';

export function policyPeer(peer: NetworkPeer): kplus.k8s.NetworkPolicyPeer {
  if ('cidr' in peer) return { ipBlock: { cidr: peer.cidr, ...(peer.except?.length && { except: [...peer.except] }) } };
  return {
    namespaceSelector: { matchLabels: { ...peer.namespaceLabels } },
    ...(peer.podLabels !== undefined && { podSelector: { matchLabels: { ...peer.podLabels } } }),
  };
}

export function policyPort(spec: PortSpec): kplus.k8s.NetworkPolicyPort {
  return {
    protocol: spec.protocol,
    port: kplus.k8s.IntOrString.fromNumber(spec.port),
    ...(spec.endPort !== undefined && spec.endPort !== spec.port && { endPort: spec.endPort }),
  };
}

/** UDP and TCP on each port, in that order for each (DNS). */
export function udpAndTcp(ports: readonly number[]): kplus.k8s.NetworkPolicyPort[] {
  return ports.flatMap((port) => [policyPort({ port, protocol: 'UDP' }), policyPort({ port, protocol: 'TCP' })]);
}

/** One egress rule per destination, so each block keeps its own ports. */
export function egressRule(destination: EgressDestination): kplus.k8s.NetworkPolicyEgressRule {
  return {
    to: [policyPeer({ cidr: destination.cidr, ...(destination.except && { except: destination.except }) })],
    ...(destination.ports && { ports: destination.ports.map(policyPort) }),
  };
}

/** The Kubernetes API server as the fences know it (resolveCluster: `apiServerAddresses`, `apiServerPorts`). */
export interface ApiServerEndpoints {
  /** CIDRs; [] when unknown: the rule then admits the ports on every address. */
  readonly addresses: readonly string[];
  readonly ports: readonly number[];
}

/** Egress to the API server: TCP on its ports, to its addresses when they are known. */
export function apiServerEgressRule(apiServer: ApiServerEndpoints): kplus.k8s.NetworkPolicyEgressRule {
  return {
    ...(apiServer.addresses.length > 0 && { to: apiServer.addresses.map((cidr) => policyPeer({ cidr })) }),
    ports: apiServer.ports.map((port) => policyPort({ port, protocol: 'TCP' })),
  };
}

/** One NetworkPolicy of an environment's fence: the application's labels, applied in the guardrails wave. */
export function fencePolicy(scope: Construct, app: string, name: string, spec: kplus.k8s.NetworkPolicySpec): kplus.k8s.KubeNetworkPolicy {
  return new kplus.k8s.KubeNetworkPolicy(scope, name, {
    metadata: { name, labels: appLabels(app), annotations: syncWave(SYNC_WAVES.guardrails) },
    spec,
  });
}
