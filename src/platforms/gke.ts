import { KUBE_DNS_PODS, type PlatformProfile } from './platform-profile.ts';
import type { EgressDestination, NetworkPeer } from '../config/network-schema.ts';

// NodeLocal DNSCache listens on a link-local address on every node, from a host-network pod (no pod selector
// matches it): 169.254.20.10 by default,
// https://github.com/kubernetes/kubernetes/blob/042f9ed3af3929227666b56d997d11a149eeb0ee/cluster/addons/dns/nodelocaldns/README.md
// On by default in Autopilot and in Standard from 1.33.1:
// https://cloud.google.com/kubernetes-engine/docs/how-to/nodelocal-dns-cache
const NODE_LOCAL_DNS_CACHE: NetworkPeer = { cidr: '169.254.20.10/32' };

// Cloud DNS for GKE answers at the metadata server's address, the name server of every GKE node:
// https://cloud.google.com/dns/docs/vpc-name-res-order ("use the metadata server IP address (169.254.169.254) as
// its name server"); Autopilot uses Cloud DNS by default:
// https://cloud.google.com/kubernetes-engine/docs/concepts/kube-dns
const CLOUD_DNS: NetworkPeer = { cidr: '169.254.169.254/32' };

// The GKE Ingress controller's load balancers (and their health checks) reach NEG backends from these ranges,
// the defaults of `--cloud-provider-gce-l7lb-src-cidrs` in the GCE cloud provider:
// https://github.com/kubernetes/cloud-provider-gcp/blob/02822e6beb7225f8312f11b46947b3f86e4fc130/providers/gce/gce_loadbalancer.go
const GOOGLE_FRONT_ENDS: readonly NetworkPeer[] = [{ cidr: '130.211.0.0/22' }, { cidr: '35.191.0.0/16' }];

// The metadata server: 169.254.169.254 on port 80 (Compute Engine, and the GKE metadata server of Workload
// Identity Federation, which intercepts that address); on the iptables data plane the node translates it to the
// GKE metadata server's own address, 169.254.169.252, port 988, before policies apply. Google's docs do not
// state the latter; gke-labs/kube-agents#805 and #676 (GKE's own samples) do.
const METADATA_SERVER: readonly EgressDestination[] = [
  { cidr: '169.254.169.254/32', ports: [{ port: 80, protocol: 'TCP' }] },
  { cidr: '169.254.169.252/32', ports: [{ port: 988, protocol: 'TCP' }] },
];

/** Google Kubernetes Engine, Standard clusters. */
export const GKE: PlatformProfile = {
  platform: 'gke',
  title: 'GKE Standard',
  dns: {
    // kube-dns is the default DNS provider of Standard clusters (https://cloud.google.com/kubernetes-engine/docs/concepts/kube-dns),
    // Kubernetes' kube-dns add-on: pods `k8s-app: kube-dns` in kube-system, dnsmasq answering on 53:
    // https://github.com/kubernetes/kubernetes/blob/008b3652959ca58af8be3fb5b6ecfe9ae7638282/cluster/addons/dns/kube-dns/kube-dns.yaml.base
    peers: [KUBE_DNS_PODS, NODE_LOCAL_DNS_CACHE, CLOUD_DNS],
    ports: [53],
  },
  ingressFrom: GOOGLE_FRONT_ENDS,
  storageClass: { clusterDefault: 'unknown' },
  networkPolicy: {
    enforced: 'when-enabled',
    // https://cloud.google.com/kubernetes-engine/docs/how-to/dataplane-v2: "network policy enforcement is built
    // into GKE Dataplane V2"; without it, network policy enforcement must be enabled on the cluster.
    howToEnable: 'GKE Dataplane V2 (--enable-dataplane-v2), or network policy enforcement (--enable-network-policy)',
  },
  metadataServer: METADATA_SERVER,
  servicePortMustMatchContainerPort: false,
  // "Zonal topology is built into Kubernetes with the topology.kubernetes.io/zone: ZONE node label":
  // https://cloud.google.com/kubernetes-engine/docs/how-to/gke-zonal-topology
  nodeZoneLabel: true,
};

/** Google Kubernetes Engine, Autopilot clusters. */
export const GKE_AUTOPILOT: PlatformProfile = {
  ...GKE,
  platform: 'gke-autopilot',
  title: 'GKE Autopilot',
  // Cloud DNS and NodeLocal DNSCache are Autopilot's defaults; kube-dns served Autopilot clusters before 1.25.
  dns: { peers: [CLOUD_DNS, NODE_LOCAL_DNS_CACHE, KUBE_DNS_PODS], ports: [53] },
  // "GKE Dataplane V2 is always enabled in new Autopilot clusters", and network policy is always on with it:
  // https://cloud.google.com/kubernetes-engine/docs/how-to/dataplane-v2
  networkPolicy: { enforced: 'always' },
};
