import { KUBE_DNS_PODS, type PlatformProfile } from './platform-profile.ts';

/**
 * Azure Kubernetes Service. The documents named below are in
 * https://github.com/MicrosoftDocs/azure-aks-docs/tree/fb060abe6a8fef960d4c487b543bf7b1e97808fe/articles/aks
 */
export const AKS: PlatformProfile = {
  platform: 'aks',
  title: 'Azure AKS',
  dns: {
    peers: [
      // CoreDNS, `k8s-app=kube-dns` in kube-system (coredns-troubleshoot.md).
      KUBE_DNS_PODS,
      // LocalDNS answers on 169.254.10.10 and 169.254.10.11 (localdns-custom.md); preconfigured in AKS Automatic.
      { cidr: '169.254.10.10/32' },
      { cidr: '169.254.10.11/32' },
    ],
    ports: [53],
  },
  // The application routing add-on's NGINX runs in `app-routing-system`, its pods labelled `app: nginx`
  // (app-routing.md; the operator's manifests, Azure/aks-app-routing-operator pkg/config/config.go DefaultNs):
  ingressFrom: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'app-routing-system' }, podLabels: { app: 'nginx' } }],
  // "it creates an Ingress class named webapprouting.kubernetes.azure.com" (app-routing.md).
  ingressClassName: 'webapprouting.kubernetes.azure.com',
  // "The `default` class will be the same as `managed-csi`" (concepts-storage.md).
  storageClass: { name: 'default', clusterDefault: 'present' },
  networkPolicy: {
    enforced: 'when-enabled',
    // `--network-policy none` removes enforcement (use-network-policies.md).
    howToEnable: 'a network policy engine: az aks create/update --network-policy azure, calico or cilium (none enforces nothing)',
  },
  // The Azure Instance Metadata Service: "a well-known, nonroutable IP address (169.254.169.254)" (imds-restriction.md).
  metadataServer: [{ cidr: '169.254.169.254/32', ports: [{ port: 80, protocol: 'TCP' }] }],
  servicePortMustMatchContainerPort: false,
  // "Kubernetes uses the `topology.kubernetes.io/zone` label to automatically distribute pods ... across the various
  // available zones" (AKS docs, reliability-availability-zones-configure.md at the commit above; nodes outside
  // zones carry it too, with their fault domain).
  nodeZoneLabel: true,
};
