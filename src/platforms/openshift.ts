import type { PlatformProfile } from './platform-profile.ts';

/** Red Hat OpenShift 4, with its default network plugin (OVN-Kubernetes). */
export const OPENSHIFT: PlatformProfile = {
  platform: 'openshift',
  title: 'OpenShift',
  dns: {
    // The DNS operator runs CoreDNS in `openshift-dns`, pods labelled `dns.operator.openshift.io/daemonset-dns:
    // default` (the label's value is the DNS resource's name, "default"), listening on 5353 behind Service port 53:
    // https://github.com/openshift/cluster-dns-operator/blob/4b8ae49940eefc50fa48da5179e735dd6ccd42d9/pkg/manifests/assets/dns/daemonset.yaml
    // https://github.com/openshift/cluster-dns-operator/blob/4b8ae49940eefc50fa48da5179e735dd6ccd42d9/pkg/operator/controller/names.go
    peers: [
      {
        namespaceLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' },
        podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
      },
    ],
    ports: [5353],
  },
  // The router's namespace carries `policy-group.network.openshift.io/ingress: ""`; a router on the HostNetwork
  // strategy (the default on premises) reaches pods as host-network traffic, which OVN-Kubernetes attributes to
  // namespaces labelled `policy-group.network.openshift.io/host-network: ""`:
  // https://github.com/openshift/cluster-ingress-operator/blob/acca9642a81370bc1a587155f7e1e7998b7c5489/pkg/manifests/assets/router/namespace.yaml
  // https://github.com/openshift/cluster-ingress-operator/blob/acca9642a81370bc1a587155f7e1e7998b7c5489/pkg/manifests/assets/canary/networkpolicy-allow.yaml
  ingressFrom: [
    { namespaceLabels: { 'policy-group.network.openshift.io/ingress': '' } },
    { namespaceLabels: { 'policy-group.network.openshift.io/host-network': '' } },
  ],
  // The default StorageClass depends on the infrastructure OpenShift is installed on.
  storageClass: { clusterDefault: 'unknown' },
  // "the OVN-Kubernetes network plugin is the default network provider for OpenShift Container Platform", and it
  // enforces NetworkPolicy: https://docs.openshift.com/container-platform/latest/networking/ovn_kubernetes_network_provider/about-ovn-kubernetes.html
  networkPolicy: { enforced: 'always' },
  // The metadata server depends on the cloud OpenShift runs on: set `cluster.metadataServer`.
  metadataServer: [],
  servicePortMustMatchContainerPort: false,
  // On a cloud the installer's cloud provider labels zones, on bare metal nothing does: `cluster.nodeZoneLabel`.
  nodeZoneLabel: false,
};
