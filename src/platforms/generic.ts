import { KUBE_DNS_PODS, type PlatformProfile } from './platform-profile.ts';

/**
 * Any conformant cluster: dynenv assumes only what Kubernetes itself ships, and asks for the rest.
 */
export const GENERIC: PlatformProfile = {
  platform: 'generic',
  title: 'a generic Kubernetes cluster',
  dns: {
    // Kubernetes' DNS add-on labels the CoreDNS pods `k8s-app: kube-dns` in kube-system and serves on port 53:
    // https://github.com/kubernetes/kubernetes/blob/008b3652959ca58af8be3fb5b6ecfe9ae7638282/cluster/addons/dns/coredns/coredns.yaml.base
    peers: [KUBE_DNS_PODS],
    ports: [53],
  },
  // No controller is part of Kubernetes; ingress-nginx's manifests install it in the namespace `ingress-nginx`:
  // https://github.com/kubernetes/ingress-nginx/blob/0124c313f1f089c01ce83a3714c3f4f5b4eb70c6/deploy/static/provider/cloud/deploy.yaml
  ingressFrom: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }],
  storageClass: { clusterDefault: 'unknown' },
  networkPolicy: {
    enforced: 'when-enabled',
    howToEnable:
      'a network plugin that enforces NetworkPolicy (Calico, Cilium, Antrea, kube-router, …); without one the API server stores the policies and nothing applies them',
  },
  metadataServer: [],
  servicePortMustMatchContainerPort: false,
  // Unknown: bare-metal nodes have no zone label unless someone sets it (`cluster.nodeZoneLabel: true` then).
  nodeZoneLabel: false,
};
