/**
 * Where each platform default comes from: the document or manifest (pinned to a commit where it lives in Git),
 * its licence, and the passages that carry the values, quoted verbatim (a fragment per passage, whitespace kept
 * where it matters in YAML). Nothing is fetched: the quotes are the record, the URLs say where to check them.
 */

export interface PlatformSource {
  readonly url: string;
  readonly licence: string;
  readonly quotes: readonly string[];
}

const K8S = 'https://github.com/kubernetes/kubernetes/blob/008b3652959ca58af8be3fb5b6ecfe9ae7638282';
const EKS_GUIDE = 'https://github.com/awsdocs/amazon-eks-user-guide/blob/4d52b4d05e3478582e7d10a73cbd9ba9194dd5f7/latest/ug';
const AKS_DOCS = 'https://github.com/MicrosoftDocs/azure-aks-docs/blob/fb060abe6a8fef960d4c487b543bf7b1e97808fe/articles/aks';
const OPENSHIFT_DNS = 'https://github.com/openshift/cluster-dns-operator/blob/4b8ae49940eefc50fa48da5179e735dd6ccd42d9';
const OPENSHIFT_INGRESS = 'https://github.com/openshift/cluster-ingress-operator/blob/acca9642a81370bc1a587155f7e1e7998b7c5489';
const KIND = 'https://github.com/kubernetes-sigs/kind/blob/fed268827e21ca48a74c38215c316dd343364ef5';

export const PLATFORM_SOURCES = {
  'kubernetes-coredns-addon': {
    url: `${K8S}/cluster/addons/dns/coredns/coredns.yaml.base`,
    licence: 'Apache-2.0',
    quotes: [
      '  name: coredns\n  namespace: kube-system\n  labels:\n    k8s-app: kube-dns',
      '        - containerPort: 53\n          name: dns\n          protocol: UDP',
    ],
  },
  'kubernetes-kube-dns-addon': {
    url: `${K8S}/cluster/addons/dns/kube-dns/kube-dns.yaml.base`,
    licence: 'Apache-2.0',
    quotes: [
      '  name: kube-dns\n  namespace: kube-system\n  labels:\n    k8s-app: kube-dns',
      '        - containerPort: 53\n          name: dns\n          protocol: UDP',
    ],
  },
  'kubeadm-coredns': {
    url: `${K8S}/cmd/kubeadm/app/phases/addons/dns/manifests.go`,
    licence: 'Apache-2.0',
    quotes: ['  namespace: kube-system\n  labels:\n    k8s-app: kube-dns', '        - containerPort: 53\n          name: dns\n          protocol: UDP'],
  },
  'nodelocaldns-readme': {
    url: 'https://github.com/kubernetes/kubernetes/blob/042f9ed3af3929227666b56d997d11a149eeb0ee/cluster/addons/dns/nodelocaldns/README.md',
    licence: 'Apache-2.0',
    quotes: [
      'It runs with `hostNetwork:True` and creates a dedicated dummy interface with a link local ip(169.254.20.10/32 by default) to listen for DNS queries.',
    ],
  },
  'ingress-nginx-deploy': {
    url: 'https://github.com/kubernetes/ingress-nginx/blob/0124c313f1f089c01ce83a3714c3f4f5b4eb70c6/deploy/static/provider/cloud/deploy.yaml',
    licence: 'Apache-2.0',
    quotes: [
      'kind: Namespace\nmetadata:\n  labels:\n    app.kubernetes.io/instance: ingress-nginx\n    app.kubernetes.io/name: ingress-nginx\n  name: ingress-nginx',
    ],
  },
  'kind-ingress-nginx': {
    url: `${KIND}/site/static/examples/ingress/deploy-ingress-nginx.yaml`,
    licence: 'Apache-2.0',
    quotes: [
      'kind: Namespace\nmetadata:\n  labels:\n    app.kubernetes.io/instance: ingress-nginx\n    app.kubernetes.io/name: ingress-nginx\n  name: ingress-nginx',
      'hostPort: 80',
    ],
  },
  'kind-storage-class': {
    url: `${KIND}/pkg/build/nodeimage/const_storage.go`,
    licence: 'Apache-2.0',
    quotes: [
      'kind: StorageClass\nmetadata:\n  name: standard\n  namespace: kube-system\n  annotations:\n    storageclass.kubernetes.io/is-default-class: "true"',
    ],
  },
  'gcp-cloud-dns-name-server': {
    url: 'https://cloud.google.com/dns/docs/vpc-name-res-order',
    licence: 'CC-BY-4.0',
    quotes: ['Each VM must be configured to use the metadata server IP address (`169.254.169.254`) as its name server.'],
  },
  'gce-l7-load-balancer-ranges': {
    url: 'https://github.com/kubernetes/cloud-provider-gcp/blob/02822e6beb7225f8312f11b46947b3f86e4fc130/providers/gce/gce_loadbalancer.go',
    licence: 'Apache-2.0',
    quotes: [
      '// L7 health checkers have client addresses within these known CIDRs.',
      'l7lbSrcRngsFlag.ipn, err = netutils.ParseIPNets([]string{"130.211.0.0/22", "35.191.0.0/16"}...)',
      '"CIDRs opened in GCE firewall for L7 LB traffic proxy & health checks"',
    ],
  },
  'gke-metadata-server-translation': {
    url: 'https://github.com/gke-labs/kube-agents/pull/805',
    licence: "quoted from a review comment of gke-labs/kube-agents (Google); Google's product documentation does not state the translated address",
    quotes: ['the node DNATs 169.254.169.254:80 to 169.254.169.252:988'],
  },
  'gke-zonal-topology': {
    url: 'https://cloud.google.com/kubernetes-engine/docs/how-to/gke-zonal-topology',
    licence: 'CC-BY-4.0',
    quotes: ['Zonal topology is built into Kubernetes with the topology.kubernetes.io/zone: ZONE node label.'],
  },
  'gke-dataplane-v2-autopilot': {
    url: 'https://cloud.google.com/kubernetes-engine/docs/how-to/dataplane-v2',
    licence: 'CC-BY-4.0',
    quotes: ['GKE Dataplane V2 is always enabled in new Autopilot clusters.'],
  },
  'gke-dataplane-v2-network-policy': {
    url: 'https://cloud.google.com/kubernetes-engine/multi-cloud/docs/aws/concepts/dataplane-v2',
    licence: 'CC-BY-4.0',
    quotes: ['Kubernetes Network policy is always on in clusters with Dataplane V2.'],
  },
  'eks-coredns': {
    url: `${EKS_GUIDE}/nodes/migrate-stack.adoc`,
    licence: 'CC-BY-SA-4.0',
    quotes: ['kubectl get deployments -l k8s-app=kube-dns -n kube-system'],
  },
  'eks-kube-dns-service': {
    url: `${EKS_GUIDE}/networking/eks-networking-add-ons.adoc`,
    licence: 'CC-BY-SA-4.0',
    quotes: ['kube-dns   ClusterIP   fd30:3087:b6c2::a   <none>        53/UDP,53/TCP   57m   k8s-app=kube-dns'],
  },
  'eks-1.30-storage-class': {
    url: `${EKS_GUIDE}/clusters/kubernetes-versions-standard.adoc`,
    licence: 'CC-BY-SA-4.0',
    quotes: [
      'Starting with `1.30`, Amazon EKS no longer includes the `default` annotation on the `gp2 StorageClass` resource applied to newly created clusters.',
    ],
  },
  'eks-zone-label': {
    url: `${EKS_GUIDE}/automode/create-node-pool.adoc`,
    licence: 'CC-BY-SA-4.0',
    quotes: [
      'EKS Auto Mode leverages well-known Kubernetes labels to provide consistent and standardized ways of identifying node characteristics. These labels, such as `topology.kubernetes.io/zone` for availability zones and `kubernetes.io/arch` for CPU architecture, follow established Kubernetes conventions.',
    ],
  },
  'eks-zone-spread': {
    url: `${EKS_GUIDE}/clusters/zone-shift.adoc`,
    licence: 'CC-BY-SA-4.0',
    quotes: [
      '      topologySpreadConstraints:\n      - maxSkew: 1\n        topologyKey: "topology.kubernetes.io/zone"\n        whenUnsatisfiable: ScheduleAnyway',
    ],
  },
  'eks-network-policy-considerations': {
    url: `${EKS_GUIDE}/networking/eks-networking-add-ons.adoc`,
    licence: 'CC-BY-SA-4.0',
    quotes: ['For any of your [.noloc]`Kubernetes` services, the service port must be the same as the container port.'],
  },
  'eks-pod-identity-agent': {
    url: `${EKS_GUIDE}/manage-access/aws-access/service-accounts.adoc`,
    licence: 'CC-BY-SA-4.0',
    quotes: [
      'The EKS Pod Identity Agent uses the `hostNetwork` of the node and it uses port `80` and port `2703` on a link-local address on the node. ' +
        'This address is `169.254.170.23` for [.noloc]`IPv4` and `[fd00:ec2::23]` for [.noloc]`IPv6` clusters.',
    ],
  },
  'ec2-imds-endpoints': {
    url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html',
    licence: 'CC-BY-SA-4.0',
    quotes: ['The IMDS has two endpoints on an instance: IPv4 (`169.254.169.254`) and IPv6 (`[fd00:ec2::254]`).'],
  },
  'ec2-imds-retrieval': {
    url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-dynamic-data-retrieval.html',
    licence: 'CC-BY-SA-4.0',
    quotes: ['http://169.254.169.254/latest/dynamic/', 'ensure that you enable and use the IPv6 address instead: [fd00:ec2::254]'],
  },
  'aks-coredns': {
    url: `${AKS_DOCS}/coredns-troubleshoot.md`,
    licence: 'CC-BY-4.0',
    quotes: ['kubectl get pods --namespace kube-system -l k8s-app=kube-dns'],
  },
  'aks-localdns': {
    url: `${AKS_DOCS}/localdns-custom.md`,
    licence: 'CC-BY-4.0',
    quotes: ['(`169.254.10.10` or `169.254.10.11`)', '- port: "53"'],
  },
  'aks-app-routing': {
    url: `${AKS_DOCS}/app-routing.md`,
    licence: 'CC-BY-4.0',
    quotes: [
      "Editing the ingress-nginx `ConfigMap` in the `app-routing-system` namespace isn't supported.",
      'it creates an Ingress class named _webapprouting.kubernetes.azure.com_',
    ],
  },
  'aks-app-routing-operator-nginx': {
    url: 'https://github.com/Azure/aks-app-routing-operator/blob/3c53beff1c1471dca6b0da38cb5a31779fda77f8/pkg/manifests/fixtures/nginx/dalec/default_version/full.yaml',
    licence: 'MIT',
    quotes: ['  selector:\n    matchLabels:\n      app: nginx'],
  },
  'aks-zones': {
    url: `${AKS_DOCS}/reliability-availability-zones-configure.md`,
    licence: 'CC-BY-4.0',
    quotes: [
      'Kubernetes uses the `topology.kubernetes.io/zone` label to automatically distribute pods in a replication controller or service across the various available zones available.',
    ],
  },
  'aks-storage': {
    url: `${AKS_DOCS}/concepts-storage.md`,
    licence: 'CC-BY-4.0',
    quotes: [
      'Unless you specify a storage class for a persistent volume, the default storage class is used.',
      'The `default` class will be the same as `managed-csi`.',
    ],
  },
  'aks-imds': {
    url: `${AKS_DOCS}/imds-restriction.md`,
    licence: 'CC-BY-4.0',
    quotes: [
      'The IMDS REST API is available at a well-known, nonroutable IP address (169.254.169.254)',
      'curl -s -H Metadata:true --noproxy "*" "http://169.254.169.254/metadata/instance?api-version=2023-11-15"',
    ],
  },
  'openshift-dns-daemonset': {
    url: `${OPENSHIFT_DNS}/pkg/manifests/assets/dns/daemonset.yaml`,
    licence: 'Apache-2.0',
    quotes: ['        - containerPort: 5353\n          name: dns\n          protocol: UDP'],
  },
  'openshift-dns-names': {
    url: `${OPENSHIFT_DNS}/pkg/operator/controller/names.go`,
    licence: 'Apache-2.0',
    quotes: ['controllerDaemonSetLabel = "dns.operator.openshift.io/daemonset-dns"', 'DefaultOperandNamespace = "openshift-dns"', 'DefaultDNSName = "default"'],
  },
  'openshift-router-namespace': {
    url: `${OPENSHIFT_INGRESS}/pkg/manifests/assets/router/namespace.yaml`,
    licence: 'Apache-2.0',
    quotes: [
      '    # old and new forms of the label for matching with NetworkPolicy\n    network.openshift.io/policy-group: ingress\n    policy-group.network.openshift.io/ingress: ""',
    ],
  },
  'openshift-canary-policy': {
    url: `${OPENSHIFT_INGRESS}/pkg/manifests/assets/canary/networkpolicy-allow.yaml`,
    licence: 'Apache-2.0',
    quotes: [
      "    # depending on topology, valid canary checks will either appear to come from\n    # the router's namespace or the host network.",
      'policy-group.network.openshift.io/host-network: ""',
    ],
  },
  'openshift-ovn-kubernetes': {
    url: 'https://docs.openshift.com/container-platform/latest/networking/ovn_kubernetes_network_provider/about-ovn-kubernetes.html',
    licence: 'Apache-2.0 (openshift/openshift-docs)',
    quotes: [
      'the OVN-Kubernetes network plugin is the default network provider for OpenShift Container Platform',
      'The OVN-Kubernetes network plugin is the default provider that implements this virtualized overlay network, supplying connectivity and policy enforcement across the nodes in the cluster.',
    ],
  },
} as const satisfies Record<string, PlatformSource>;

export type SourceId = keyof typeof PLATFORM_SOURCES;
