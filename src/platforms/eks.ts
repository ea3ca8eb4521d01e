import { KUBE_DNS_PODS, type PlatformProfile } from './platform-profile.ts';

/** Amazon Elastic Kubernetes Service, with the Amazon VPC CNI. */
export const EKS: PlatformProfile = {
  platform: 'eks',
  title: 'Amazon EKS',
  dns: {
    // The CoreDNS add-on runs in kube-system as `k8s-app=kube-dns` (Amazon EKS User Guide, "Manage CoreDNS"):
    // https://github.com/awsdocs/amazon-eks-user-guide/blob/4d52b4d05e3478582e7d10a73cbd9ba9194dd5f7/latest/ug/networking/eks-networking-add-ons.adoc
    peers: [KUBE_DNS_PODS],
    ports: [53],
  },
  // EKS installs no ingress controller. The AWS Load Balancer Controller in IP mode sends from the load
  // balancer's addresses in your VPC subnets, which only you know: set `cluster.ingressController.from`.
  ingressFrom: [],
  // "Starting with 1.30, Amazon EKS no longer includes the default annotation on the gp2 StorageClass":
  // https://github.com/awsdocs/amazon-eks-user-guide/blob/4d52b4d05e3478582e7d10a73cbd9ba9194dd5f7/latest/ug/clusters/kubernetes-versions-standard.adoc
  storageClass: { clusterDefault: 'absent' },
  networkPolicy: {
    enforced: 'when-enabled',
    // Version 1.14 or later of the VPC CNI with `"enableNetworkPolicy": "true"` (EKS User Guide, network policies).
    howToEnable: 'the Amazon VPC CNI 1.14 or later with the add-on setting "enableNetworkPolicy": "true" (or another policy engine such as Calico)',
  },
  metadataServer: [
    // The EC2 instance metadata service: IPv4 169.254.169.254 and IPv6 [fd00:ec2::254], port 80:
    // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
    { cidr: '169.254.169.254/32', ports: [{ port: 80, protocol: 'TCP' }] },
    { cidr: 'fd00:ec2::254/128', ports: [{ port: 80, protocol: 'TCP' }] },
    // The EKS Pod Identity Agent: port 80 on 169.254.170.23 (IPv4) and [fd00:ec2::23] (IPv6):
    // https://github.com/awsdocs/amazon-eks-user-guide/blob/4d52b4d05e3478582e7d10a73cbd9ba9194dd5f7/latest/ug/manage-access/aws-access/service-accounts.adoc
    { cidr: '169.254.170.23/32', ports: [{ port: 80, protocol: 'TCP' }] },
    { cidr: 'fd00:ec2::23/128', ports: [{ port: 80, protocol: 'TCP' }] },
  ],
  // "For any of your Kubernetes services, the service port must be the same as the container port" (EKS User
  // Guide, network policy considerations, eks-networking-add-ons.adoc at the commit above).
  servicePortMustMatchContainerPort: true,
  // EKS nodes carry the well-known zone label; the EKS User Guide spreads over it (clusters/zone-shift.adoc and
  // automode/create-node-pool.adoc at the commit above).
  nodeZoneLabel: true,
};
