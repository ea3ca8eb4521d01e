/**
 * NetworkPolicy evaluated as a network plugin applies it (networking.k8s.io/v1, as the Kubernetes API reference
 * and https://kubernetes.io/docs/concepts/services-networking/network-policies/ define it), over a model cluster
 * of namespaces, pods and plain addresses:
 *
 * - a pod is isolated for a direction when some policy of its namespace selects it and has that direction in its
 *   policy types (given, or Ingress plus Egress when the policy has egress rules); an unisolated pod allows all;
 * - an isolated pod allows what the union of the rules of the policies selecting it allows; order is irrelevant;
 * - a connection needs both ends: the source's egress and the destination's ingress (each only if isolated);
 * - a peer is an ipBlock (the address in `cidr` and in no `except`), or pods: `podSelector` alone means the policy's
 *   own namespace, `namespaceSelector` alone every pod of the matching namespaces, both together pods matching both;
 *   an absent or empty `from`/`to` matches everything; an absent or empty `ports` every port and protocol;
 * - a port entry has a protocol (TCP when absent), and a number (with `endPort`, a range), a name (the destination
 *   pod's container port of that name and protocol), or none (every port of the protocol);
 * - host-network pods are not pods to a policy: they are neither selected nor matched by selectors, only by ipBlock
 *   (their node's address). Model them, load balancers and the internet as plain addresses.
 *
 * ipBlock is applied to pod addresses too (the API leaves that to the plugin): the stricter reading for tests that
 * assert what must not connect. Policies are taken as the API server would accept them; malformed ones throw.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
type Labels = Readonly<Record<string, string>>;

export interface ModelNamespace {
  readonly name: string;
  /** `kubernetes.io/metadata.name` is added, as the API server does. */
  readonly labels?: Labels;
}

export interface ModelPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ip: string;
  readonly ports?: ReadonlyArray<{ readonly name?: string; readonly containerPort: number; readonly protocol?: Protocol }>;
}

/** One end of a connection: a pod of the model, or an address (a node, a load balancer, the internet). */
export type ModelEndpoint = { readonly pod: ModelPod } | { readonly ip: string };

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}
export interface ModelNetworkPolicy {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: {
    podSelector: LabelSelector;
    policyTypes?: Array<'Ingress' | 'Egress'>;
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  };
}

type Direction = 'Ingress' | 'Egress';

export class NetworkPolicyEvaluator {
  private readonly namespaces = new Map<string, Labels>();

  constructor(
    namespaces: readonly ModelNamespace[],
    private readonly policies: readonly ModelNetworkPolicy[],
  ) {
    for (const namespace of namespaces) {
      this.namespaces.set(namespace.name, { ...namespace.labels, 'kubernetes.io/metadata.name': namespace.name });
    }
    for (const policy of policies) {
      if (policy.metadata.namespace === undefined) throw new Error(`NetworkPolicy ${policy.metadata.name} has no namespace`);
      for (const type of policy.spec.policyTypes ?? []) {
        if (type !== 'Ingress' && type !== 'Egress') throw new Error(`NetworkPolicy ${policy.metadata.name}: unknown policy type ${type}`);
      }
    }
  }

  /** Whether `from` may open a connection to `to` on `port`/`protocol`: both ends' policies must allow it. */
  allows(from: ModelEndpoint, to: ModelEndpoint, port: number, protocol: Protocol = 'TCP'): boolean {
    const egressOk = !('pod' in from) || this.allowedBy(from.pod, 'Egress', to, port, protocol);
    const ingressOk = !('pod' in to) || this.allowedBy(to.pod, 'Ingress', from, port, protocol);
    return egressOk && ingressOk;
  }

  /** The policies that select `pod` for `direction`; [] means the pod is not isolated in that direction. */
  isolating(pod: ModelPod, direction: Direction): ModelNetworkPolicy[] {
    return this.policies.filter(
      (policy) =>
        policy.metadata.namespace === pod.namespace && policyTypes(policy).includes(direction) && selectorMatches(policy.spec.podSelector, pod.labels),
    );
  }

  private allowedBy(pod: ModelPod, direction: Direction, peer: ModelEndpoint, port: number, protocol: Protocol): boolean {
    const policies = this.isolating(pod, direction);
    if (policies.length === 0) return true;
    // The named port of an ingress rule is the isolated pod's own; of an egress rule, the destination pod's.
    const portOwner = direction === 'Ingress' ? pod : 'pod' in peer ? peer.pod : undefined;
    return policies.some((policy) =>
      (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress)?.some(
        (rule) => this.peersMatch(direction === 'Ingress' ? rule.from : rule.to, policy, peer) && portsMatch(rule.ports, port, protocol, portOwner, policy),
      ),
    );
  }

  private peersMatch(peers: PolicyPeer[] | undefined, policy: ModelNetworkPolicy, endpoint: ModelEndpoint): boolean {
    if (peers === undefined || peers.length === 0) return true;
    return peers.some((peer) => this.peerMatches(peer, policy, endpoint));
  }

  private peerMatches(peer: PolicyPeer, policy: ModelNetworkPolicy, endpoint: ModelEndpoint): boolean {
    const selectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
    if (peer.ipBlock !== undefined) {
      if (selectors) throw new Error(`NetworkPolicy ${policy.metadata.name}: a peer has ipBlock and a selector`);
      const ip = 'pod' in endpoint ? endpoint.pod.ip : endpoint.ip;
      return inBlock(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((block) => inBlock(ip, block));
    }
    if (!selectors) throw new Error(`NetworkPolicy ${policy.metadata.name}: a peer has neither ipBlock nor a selector`);
    if (!('pod' in endpoint)) return false;
    const pod = endpoint.pod;
    const namespaceLabels = this.namespaces.get(pod.namespace);
    if (namespaceLabels === undefined) throw new Error(`pod ${pod.name} is in namespace ${pod.namespace}, which the model lacks`);
    const namespaceOk =
      peer.namespaceSelector === undefined ? pod.namespace === policy.metadata.namespace : selectorMatches(peer.namespaceSelector, namespaceLabels);
    const podOk = peer.podSelector === undefined || selectorMatches(peer.podSelector, pod.labels);
    return namespaceOk && podOk;
  }
}

function policyTypes(policy: ModelNetworkPolicy): Direction[] {
  if (policy.spec.policyTypes !== undefined && policy.spec.policyTypes.length > 0) return policy.spec.policyTypes;
  return (policy.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function portsMatch(ports: PolicyPort[] | undefined, port: number, protocol: Protocol, owner: ModelPod | undefined, policy: ModelNetworkPolicy): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((entry) => {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) {
      if (entry.endPort !== undefined) throw new Error(`NetworkPolicy ${policy.metadata.name}: endPort without port`);
      return true;
    }
    if (typeof entry.port === 'string') {
      if (entry.endPort !== undefined) throw new Error(`NetworkPolicy ${policy.metadata.name}: endPort with the named port ${entry.port}`);
      return (owner?.ports ?? []).some(
        (declared) => declared.name === entry.port && declared.containerPort === port && (declared.protocol ?? 'TCP') === protocol,
      );
    }
    if (entry.endPort !== undefined && entry.endPort < entry.port) {
      throw new Error(`NetworkPolicy ${policy.metadata.name}: endPort ${entry.endPort} below port ${entry.port}`);
    }
    return port >= entry.port && port <= (entry.endPort ?? entry.port);
  });
}

/** A label selector as the API defines it: every matchLabels pair and every expression must hold; {} matches all. */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    pairs &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      switch (operator) {
        case 'In':
          return key in labels && values.includes(labels[key]!);
        case 'NotIn':
          return !(key in labels) || !values.includes(labels[key]!);
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
        default:
          throw new Error(`unknown label selector operator ${operator}`);
      }
    })
  );
}

/** Whether `ip` is inside `cidr` (an address of the other family never is). */
export function inBlock(ip: string, cidr: string): boolean {
  const [network, prefix] = cidr.split('/');
  const family = isIPv4(network!) ? 'ipv4' : isIPv6(network!) ? 'ipv6' : undefined;
  if (family === undefined || prefix === undefined) throw new Error(`not a CIDR: ${cidr}`);
  const ipFamily = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  if (ipFamily === undefined) throw new Error(`not an address: ${ip}`);
  if (ipFamily !== family) return false;
  const block = new BlockList();
  block.addSubnet(network!, Number(prefix), family);
  return block.check(ip, family);
}
