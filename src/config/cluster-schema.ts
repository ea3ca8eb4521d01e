/**
 * `cluster:` in dynenv.yaml: the cluster around the environments. `platform` chooses the defaults a platform
 * needs (src/platforms/); every other field overrides one of them. What the cluster provides and dynenv cannot
 * see (a default StorageClass, NetworkPolicy enforcement) is stated here, or `dynenv validate` warns.
 */
import { z } from 'zod';
import { PLATFORM_NAMES } from '../platforms/platform-profile.ts';
import { cidr, egressDestinationSchema, peerSchema } from './network-schema.ts';
import { booleanFlag, labelMap, namespaceName, objectName, port } from './primitives.ts';

const peers = (what: string) =>
  z.array(peerSchema, { error: 'expected a list of peers ({ namespace, namespaceLabels, podLabels } or { cidr, except })' }).meta({
    description: what,
  });

export const clusterSchema = z.strictObject({
  platform: z
    .enum(PLATFORM_NAMES, { error: `expected one of ${PLATFORM_NAMES.map((name) => `"${name}"`).join(', ')}` })
    .default('generic')
    .meta({
      description:
        'The Kubernetes platform, which gives the defaults of the fields below: DNS, ingress controller, StorageClass, ' +
        'metadata server, NetworkPolicy enforcement. One of generic, kind, gke, gke-autopilot, eks, aks, openshift. Default: "generic".',
    }),
  dns: z
    .strictObject({
      peers: peers(
        'Where pods send DNS queries: the DNS pods, and the link-local addresses of node-local caches (169.254.20.10) or ' +
          "the cloud's resolver. Default: the platform's (generic: kube-system pods labelled k8s-app: kube-dns).",
      ).optional(),
      ports: z
        .array(port, { error: 'expected a list of ports' })
        .min(1)
        .optional()
        .meta({ description: "Port the DNS pods listen on, UDP and TCP (OpenShift: 5353). Default: the platform's (53)." }),
    })
    .default({})
    .meta({ description: "The cluster DNS, which every pod may reach. Default: the platform's." }),
  ingressController: z
    .strictObject({
      from: peers(
        "Where the ingress controller's traffic comes from: its namespace and pods, or the addresses of load balancers and " +
          "host-network controllers. Default: the platform's (generic: the namespace ingress-nginx; eks: none, set it).",
      ).optional(),
    })
    .default({})
    .meta({ description: "The ingress controller, admitted to the pods behind an Ingress. Default: the platform's." }),
  ingressClassName: objectName
    .optional()
    .meta({ description: "IngressClass of every Ingress. Default: the platform's (aks: webapprouting.kubernetes.azure.com), else none." }),
  storageClassName: objectName.optional().meta({
    description:
      "StorageClass of the volumes dynenv writes (the preview database). Default: the platform's documented default " +
      '(kind: "standard", aks: "default"), else the cluster\'s default StorageClass, which EKS 1.30+ does not have.',
  }),
  nodeZoneLabel: booleanFlag.optional().meta({
    description:
      'Whether every node carries the zone label topology.kubernetes.io/zone, so that replicated services spread over zones as ' +
      'well as nodes (the scheduler ignores nodes without a spread key, so a zone spread on unlabelled nodes would switch ' +
      'spreading off). Default: true on gke, gke-autopilot, eks and aks, else false.',
  }),
  networkPolicyEnforced: booleanFlag.optional().meta({
    description:
      "Whether the cluster's network plugin enforces NetworkPolicy; dynenv's fences exist only where it does. true silences " +
      "`dynenv validate`'s warning, false makes it say the fences are absent. Default: true on gke-autopilot and openshift, else unknown.",
  }),
  ipFamilies: z
    .array(z.enum(['IPv4', 'IPv6'], { error: 'expected "IPv4" or "IPv6"' }), { error: 'expected a list of IP families' })
    .min(1)
    .max(2)
    .default(['IPv4'])
    .meta({ description: 'IP families of pod addresses (["IPv6"] for an IPv6 EKS cluster, both for dual stack). Default: ["IPv4"].' }),
  metadataServer: z
    .array(egressDestinationSchema, { error: 'expected a list of destinations ({ cidr, ports })' })
    .optional()
    .meta({
      description:
        "The instance metadata server, where `to: metadata-server` egress goes. Default: the platform's (gke: 169.254.169.254:80 " +
        'and 169.254.169.252:988; eks: 169.254.169.254 and 169.254.170.23 on 80, with their IPv6 forms; aks: 169.254.169.254:80).',
    }),
  certManager: z
    .strictObject({
      solver: z
        .enum(['http01', 'dns01'], { error: 'expected "http01" or "dns01"' })
        .optional()
        .meta({
          description:
            'How the issuers named in `tls.clusterIssuer` prove control of a host. "http01": they use HTTP-01 with ' +
            '`serviceType: ClusterIP` (the quota forbids the NodePort Service cert-manager creates by default), and dynenv admits ' +
            'the ingress controller to the solver pods on 8089. "dns01": no solver pod. Default: unknown (the solver is admitted, ' +
            'and `dynenv validate` warns).',
        }),
    })
    .default({})
    .meta({ description: 'cert-manager, for environments whose TLS names a cert-manager issuer. Default: see each field.' }),
  apiServerPorts: z
    .array(port, { error: 'expected a list of ports' })
    .min(1)
    .default([443, 6443])
    .meta({ description: 'Ports of the Kubernetes API server, for the one Job that talks to it. Default: [443, 6443].' }),
  apiServer: z
    .strictObject({
      addresses: z
        .array(cidr, { error: 'expected a list of CIDRs' })
        .min(1, { error: 'expected at least one address (a CIDR such as 172.18.0.2/32)' })
        .meta({
          description:
            "The API server's addresses as pods reach them, after the `kubernetes` Service's translation: the endpoints of " +
            'Service `kubernetes` in namespace `default` (`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`), ' +
            'as CIDRs. Required.',
        }),
    })
    .optional()
    .meta({
      description:
        "The Kubernetes API server, which the preview database-credentials Job (and the plugin server's controller) talk to on " +
        '`apiServerPorts`: their NetworkPolicies admit only these addresses. Default: none known: they admit `apiServerPorts` on ' +
        'every address, and `dynenv validate` warns.',
    }),
  ingressControllerNamespace: namespaceName.optional().meta({
    description: 'Shorthand for `ingressController.from: [{ namespace: <this> }]`. Default: none.',
  }),
  dnsNamespace: namespaceName
    .optional()
    .meta({ description: 'Shorthand: `dns.peers` become the pods of this namespace (with `dnsPodLabels`). Default: none.' }),
  dnsPodLabels: labelMap
    .optional()
    .meta({ description: 'Shorthand, with or without `dnsNamespace` (default "kube-system"): the labels of the DNS pods. Default: none.' }),
});
export type ClusterConfig = z.infer<typeof clusterSchema>;
