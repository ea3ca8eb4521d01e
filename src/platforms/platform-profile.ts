/**
 * What a Kubernetes platform decides for the fences dynenv writes: where pods' DNS queries go, where the ingress
 * controller's traffic comes from, which StorageClass binds a volume, whether the CNI enforces NetworkPolicy at
 * all, and where the cloud metadata server answers. Each platform's file states every default with the document
 * or manifest it comes from; `cluster.*` in dynenv.yaml overrides them field by field.
 */
import type { EgressDestination, NetworkPeer } from '../config/network-schema.ts';

export const PLATFORM_NAMES = ['generic', 'kind', 'gke', 'gke-autopilot', 'eks', 'aks', 'openshift'] as const;
export type PlatformName = (typeof PLATFORM_NAMES)[number];

export interface PlatformProfile {
  readonly platform: PlatformName;
  /** The product's name, for messages and the README. */
  readonly title: string;
  /**
   * The cluster DNS as NetworkPolicies see it: the DNS pods, and the link-local addresses a node-local cache or
   * the cloud's resolver answers on (no pod selector matches those), with the port the answering pods listen on
   * (policies apply after a Service's translation to the pod's port).
   */
  readonly dns: { readonly peers: readonly NetworkPeer[]; readonly ports: readonly number[] };
  /** Where traffic from the platform's own ingress controller comes from; [] when the platform has none. */
  readonly ingressFrom: readonly NetworkPeer[];
  /** The IngressClass of that controller, when it needs one named. */
  readonly ingressClassName?: string;
  /** The StorageClass a claim without one gets: a name the platform documents, or whether there is a default at all. */
  readonly storageClass: { readonly name?: string; readonly clusterDefault: 'present' | 'absent' | 'unknown' };
  /** Whether the network plugin enforces NetworkPolicy: on every cluster of the platform, or only once enabled (and how). */
  readonly networkPolicy: { readonly enforced: 'always' | 'when-enabled'; readonly howToEnable?: string };
  /** The instance metadata server (workload identity, credentials): `to: metadata-server` in an egress rule. */
  readonly metadataServer: readonly EgressDestination[];
  /**
   * The CNI's network policy engine requires a Service's port to equal the container port it targets
   * (named ports named the same), or its policies drop the traffic.
   */
  readonly servicePortMustMatchContainerPort: boolean;
  /**
   * Every node carries the well-known zone label `topology.kubernetes.io/zone` (the cloud provider sets it), so
   * replicated services can spread over zones. false where nobody knows: the scheduler ignores a node that lacks a
   * spread constraint's key, so a zone constraint on unlabelled nodes would switch spreading off altogether.
   */
  readonly nodeZoneLabel: boolean;
}

/** The CoreDNS (or kube-dns) pods of kube-system, as Kubernetes' own DNS add-on and kubeadm label them. */
export const KUBE_DNS_PODS: NetworkPeer = { namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, podLabels: { 'k8s-app': 'kube-dns' } };
