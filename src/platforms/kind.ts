import { KUBE_DNS_PODS, type PlatformProfile } from './platform-profile.ts';

/** kind (Kubernetes in Docker), for local clusters and CI. */
export const KIND: PlatformProfile = {
  platform: 'kind',
  title: 'kind',
  dns: {
    // kind nodes run kubeadm, whose CoreDNS Deployment labels its pods `k8s-app: kube-dns` and listens on 53:
    // https://github.com/kubernetes/kubernetes/blob/008b3652959ca58af8be3fb5b6ecfe9ae7638282/cmd/kubeadm/app/phases/addons/dns/manifests.go
    peers: [KUBE_DNS_PODS],
    ports: [53],
  },
  // kind's ingress guide ships ingress-nginx into the namespace `ingress-nginx`, on hostPorts (the pods keep
  // their own addresses, so a namespace selector matches them):
  // https://github.com/kubernetes-sigs/kind/blob/fed268827e21ca48a74c38215c316dd343364ef5/site/static/examples/ingress/deploy-ingress-nginx.yaml
  ingressFrom: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }],
  // Every kind node image installs the local-path provisioner as StorageClass `standard`, marked default:
  // https://github.com/kubernetes-sigs/kind/blob/fed268827e21ca48a74c38215c316dd343364ef5/pkg/build/nodeimage/const_storage.go
  storageClass: { name: 'standard', clusterDefault: 'present' },
  networkPolicy: {
    enforced: 'when-enabled',
    // kindnetd enforces NetworkPolicy since kind v0.24.0 (kubernetes-sigs/kind#3612, commit ed51cf81).
    howToEnable: 'kind v0.24.0 or later, whose default network plugin (kindnetd) enforces NetworkPolicy; older releases ignore it',
  },
  metadataServer: [],
  servicePortMustMatchContainerPort: false,
  // kind's nodes are containers on one machine, with no cloud provider to label zones.
  nodeZoneLabel: false,
};
