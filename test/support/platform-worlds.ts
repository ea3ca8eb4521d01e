/**
 * Model clusters, one per platform, written from each platform's documentation independently of dynenv's profiles:
 * where the DNS answers, where the ingress controller's traffic comes from, where the metadata server listens,
 * plus the things that must stay outside the fence (another namespace's pods wearing the right labels, the
 * internet). The platform tests place an environment's rendered pods in them and ask the NetworkPolicy evaluator.
 */
import type { PlatformName } from '../../src/platforms/index.ts';
import type { ModelEndpoint, ModelNamespace, ModelPod } from './network-policy-evaluator.ts';

export interface PlatformWorld {
  readonly namespaces: readonly ModelNamespace[];
  readonly pods: readonly ModelPod[];
  /** Where pods' DNS queries really go, and the port the answer comes from (after a Service's translation). */
  readonly dnsServers: ReadonlyArray<{ readonly endpoint: ModelEndpoint; readonly port: number }>;
  /** Where traffic from the ingress controller arrives from. */
  readonly ingressController: readonly ModelEndpoint[];
  /** The instance metadata server's addresses and ports; [] where the platform has none. */
  readonly metadataServer: ReadonlyArray<{ readonly endpoint: ModelEndpoint; readonly port: number }>;
  /** `cluster:` settings the platform needs beyond `platform` (what only the cluster's owner knows). */
  readonly cluster: Readonly<Record<string, unknown>>;
}

const systemPod = (namespace: string, name: string, labels: Record<string, string>, ip: string): ModelPod => ({ namespace, name, labels, ip });

const kubeDns = (ip: string) => systemPod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, ip);
const ingressNginx = (ip: string) =>
  systemPod('ingress-nginx', 'ingress-nginx-controller', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' }, ip);

const kubeSystem: ModelNamespace = { name: 'kube-system' };

function upstreamCluster(): PlatformWorld {
  const dns = kubeDns('10.244.0.10');
  const controller = ingressNginx('10.244.1.5');
  return {
    namespaces: [kubeSystem, { name: 'ingress-nginx' }],
    pods: [dns, controller],
    dnsServers: [{ endpoint: { pod: dns }, port: 53 }],
    ingressController: [{ pod: controller }],
    metadataServer: [],
    cluster: {},
  };
}

function gke(): PlatformWorld {
  const dns = kubeDns('10.8.0.10');
  return {
    namespaces: [kubeSystem],
    pods: [dns],
    dnsServers: [
      { endpoint: { pod: dns }, port: 53 },
      // NodeLocal DNSCache (host network) and Cloud DNS (the metadata server).
      { endpoint: { ip: '169.254.20.10' }, port: 53 },
      { endpoint: { ip: '169.254.169.254' }, port: 53 },
    ],
    // Google Front Ends and health checkers, in front of NEG backends.
    ingressController: [{ ip: '35.191.10.20' }, { ip: '130.211.1.5' }],
    metadataServer: [
      { endpoint: { ip: '169.254.169.254' }, port: 80 },
      { endpoint: { ip: '169.254.169.252' }, port: 988 },
    ],
    cluster: {},
  };
}

function eks(): PlatformWorld {
  const dns = kubeDns('10.0.130.10');
  return {
    namespaces: [kubeSystem],
    pods: [dns],
    dnsServers: [{ endpoint: { pod: dns }, port: 53 }],
    // An ALB in IP mode, in the public subnets; pods live in 10.0.128.0/17.
    ingressController: [{ ip: '10.0.1.25' }],
    metadataServer: [
      { endpoint: { ip: '169.254.169.254' }, port: 80 },
      { endpoint: { ip: '169.254.170.23' }, port: 80 },
    ],
    cluster: { ingressController: { from: [{ cidr: '10.0.0.0/23' }] } },
  };
}

function aks(): PlatformWorld {
  const dns = kubeDns('10.244.0.10');
  const nginx = systemPod('app-routing-system', 'nginx', { app: 'nginx' }, '10.244.2.7');
  return {
    namespaces: [kubeSystem, { name: 'app-routing-system' }],
    pods: [dns, nginx],
    dnsServers: [
      { endpoint: { pod: dns }, port: 53 },
      { endpoint: { ip: '169.254.10.10' }, port: 53 },
      { endpoint: { ip: '169.254.10.11' }, port: 53 },
    ],
    ingressController: [{ pod: nginx }],
    metadataServer: [{ endpoint: { ip: '169.254.169.254' }, port: 80 }],
    cluster: {},
  };
}

function openshift(): PlatformWorld {
  const dns = systemPod('openshift-dns', 'dns-default', { 'dns.operator.openshift.io/daemonset-dns': 'default' }, '10.128.0.5');
  const router = systemPod(
    'openshift-ingress',
    'router-default',
    { 'ingresscontroller.operator.openshift.io/deployment-ingresscontroller': 'default' },
    '10.128.2.9',
  );
  // A router on the HostNetwork strategy: OVN-Kubernetes attributes host-network traffic to this namespace.
  const hostRouter = systemPod('openshift-host-network', 'host', {}, '10.0.0.4');
  return {
    namespaces: [
      { name: 'openshift-dns' },
      { name: 'openshift-ingress', labels: { 'network.openshift.io/policy-group': 'ingress', 'policy-group.network.openshift.io/ingress': '' } },
      { name: 'openshift-host-network', labels: { 'policy-group.network.openshift.io/host-network': '' } },
    ],
    pods: [dns, router, hostRouter],
    dnsServers: [{ endpoint: { pod: dns }, port: 5353 }],
    ingressController: [{ pod: router }, { pod: hostRouter }],
    metadataServer: [],
    cluster: {},
  };
}

export const PLATFORM_WORLDS: Readonly<Record<PlatformName, () => PlatformWorld>> = {
  generic: upstreamCluster,
  kind: upstreamCluster,
  gke,
  'gke-autopilot': gke,
  eks,
  aks,
  openshift,
};

/** What must stay outside every fence: look-alikes in the wrong namespace, another tenant, the internet. */
export function outsiders(): { namespaces: ModelNamespace[]; pods: ModelPod[]; internet: ModelEndpoint; publicResolver: ModelEndpoint } {
  const intruders = { name: 'intruder', labels: { team: 'elsewhere' } };
  return {
    namespaces: [intruders],
    pods: [
      systemPod('intruder', 'fake-dns', { 'k8s-app': 'kube-dns' }, '10.99.0.2'),
      systemPod('intruder', 'fake-controller', { 'app.kubernetes.io/name': 'ingress-nginx', app: 'nginx' }, '10.99.0.3'),
      systemPod('intruder', 'fake-solver', { 'acme.cert-manager.io/http01-solver': 'true' }, '10.99.0.4'),
      systemPod('kube-system', 'metrics-server', { 'k8s-app': 'metrics-server' }, '10.99.1.2'),
    ],
    internet: { ip: '93.184.216.34' },
    publicResolver: { ip: '8.8.8.8' },
  };
}
