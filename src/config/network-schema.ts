/**
 * The network vocabulary of dynenv.yaml: addresses (CIDRs), ports with their protocol, the peers a NetworkPolicy
 * admits (pods by namespace and labels, or address blocks), and egress rules. Shared by `cluster:` (DNS and the
 * ingress controller) and by each environment's egress.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { labelMap, namespaceName, port } from './primitives.ts';

const CIDR_MESSAGE = 'expected a CIDR such as "10.0.0.0/8" or "fd00::/8"';

/** True when `value` is an IPv4 or IPv6 network in CIDR notation with a prefix length the family allows. */
export function isCidr(value: string): boolean {
  const match = /^([^/]+)\/([0-9]{1,3})$/.exec(value);
  if (match === null) return false;
  const prefix = Number(match[2]);
  if (isIPv4(match[1]!)) return prefix <= 32;
  if (isIPv6(match[1]!)) return prefix <= 128;
  return false;
}

/** The address family of a CIDR that `isCidr` accepted. */
export function cidrFamily(cidr: string): 'IPv4' | 'IPv6' {
  return cidr.includes(':') ? 'IPv6' : 'IPv4';
}

export const cidr = z.string({ error: CIDR_MESSAGE }).superRefine((value, ctx) => {
  if (!isCidr(value)) ctx.addIssue({ code: 'custom', message: `${CIDR_MESSAGE}, got ${JSON.stringify(value)}` });
});

export const protocolSchema = z.enum(['TCP', 'UDP', 'SCTP'], { error: 'expected "TCP", "UDP" or "SCTP"' });
export type Protocol = z.infer<typeof protocolSchema>;

/** A port, or a range of ports, with its protocol. */
export const portSpecSchema = z.union(
  [
    port,
    z
      .strictObject({
        port: port.meta({ description: 'The port, or the first of a range. Required.' }),
        endPort: port.optional().meta({ description: 'Last port of the range, at least `port`. Default: none (one port).' }),
        protocol: protocolSchema.default('TCP').meta({ description: 'Protocol. Default: "TCP".' }),
      })
      .refine((spec) => spec.endPort === undefined || spec.endPort >= spec.port, { error: 'expected "endPort" at least "port"' }),
  ],
  { error: 'expected a port (an integer 1-65535) or { port, endPort, protocol }' },
);
export type PortSpecInput = z.infer<typeof portSpecSchema>;

/** A port as NetworkPolicies take it. */
export interface PortSpec {
  readonly port: number;
  readonly endPort?: number;
  readonly protocol: Protocol;
}

/** `80` is TCP port 80. */
export function portSpec(input: PortSpecInput): PortSpec {
  return typeof input === 'number' ? { port: input, protocol: 'TCP' } : input;
}

/**
 * Who may be on the other end: pods (by namespace name or namespace labels, and optionally pod labels) or an
 * address block. Host-network pods and load balancers have no pod identity, so only an address block matches them.
 */
export const peerSchema = z
  .strictObject({
    namespace: namespaceName.optional().meta({ description: 'Pods in the namespace of this name (its `kubernetes.io/metadata.name` label). Default: none.' }),
    namespaceLabels: labelMap.optional().meta({ description: 'Pods in the namespaces with these labels ({} is every namespace). Default: none.' }),
    podLabels: labelMap.optional().meta({ description: 'Only the pods with these labels, in those namespaces. Default: every pod of those namespaces.' }),
    cidr: cidr.optional().meta({ description: 'Or: addresses in this network (load balancers, host-network pods). Default: none.' }),
    except: z
      .array(cidr, { error: 'expected a list of CIDRs' })
      .optional()
      .meta({ description: 'With `cidr`: networks inside it that do not count. Default: none.' }),
  })
  .superRefine((peer, ctx) => {
    const pods = peer.namespace !== undefined || peer.namespaceLabels !== undefined || peer.podLabels !== undefined;
    if (peer.cidr !== undefined && pods) {
      ctx.addIssue({ code: 'custom', message: 'expected either "cidr" or "namespace"/"namespaceLabels"/"podLabels", not both' });
    } else if (peer.cidr === undefined && peer.namespace === undefined && peer.namespaceLabels === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected "namespace", "namespaceLabels" or "cidr" (pod labels alone would only match this environment\'s own pods)',
      });
    }
    if (peer.except !== undefined && peer.cidr === undefined) ctx.addIssue({ code: 'custom', path: ['except'], message: 'needs "cidr"' });
  });
export type PeerInput = z.infer<typeof peerSchema>;

/** A peer as NetworkPolicies take it: pods selected by namespace and pod labels, or an address block. */
export type NetworkPeer =
  | { readonly namespaceLabels: Readonly<Record<string, string>>; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly cidr: string; readonly except?: readonly string[] };

/** The label every namespace carries with its own name (Kubernetes 1.21+). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function networkPeer(input: PeerInput): NetworkPeer {
  if (input.cidr !== undefined) return { cidr: input.cidr, ...(input.except?.length && { except: [...input.except] }) };
  const namespaceLabels = {
    ...input.namespaceLabels,
    ...(input.namespace !== undefined && { [NAMESPACE_NAME_LABEL]: input.namespace }),
  };
  return { namespaceLabels, ...(input.podLabels !== undefined && Object.keys(input.podLabels).length > 0 && { podLabels: input.podLabels }) };
}

/** Where a pod may send traffic: an address block and the ports on it (none: every port). */
export interface EgressDestination {
  readonly cidr: string;
  readonly except?: readonly string[];
  readonly ports?: readonly PortSpec[];
}

export const egressDestinationSchema = z.strictObject({
  cidr: cidr.meta({ description: 'Destination network. Required.' }),
  except: z.array(cidr, { error: 'expected a list of CIDRs' }).optional().meta({ description: 'Networks inside `cidr` left out. Default: none.' }),
  ports: z
    .array(portSpecSchema, { error: 'expected a list of ports' })
    .min(1)
    .optional()
    .meta({ description: 'Ports, each a number (TCP) or { port, endPort, protocol }. Default: every port.' }),
});

/** A destination as configured, with its ports in NetworkPolicy form. */
export function egressDestination(input: z.infer<typeof egressDestinationSchema>): EgressDestination {
  return {
    cidr: input.cidr,
    ...(input.except?.length && { except: [...input.except] }),
    ...(input.ports && { ports: input.ports.map(portSpec) }),
  };
}

/** Destinations dynenv knows by name rather than by address. */
export const NAMED_DESTINATIONS = ['metadata-server', 'database'] as const;
export type NamedDestination = (typeof NAMED_DESTINATIONS)[number];

/** One egress allowance beyond the namespace and DNS: an address block, or a destination dynenv knows. */
export const egressRuleSchema = z
  .strictObject({
    cidr: cidr.optional().meta({ description: 'Destination network, e.g. "10.0.0.0/8" or "2600:1f14::/32". Default: none.' }),
    except: z
      .array(cidr, { error: 'expected a list of CIDRs' })
      .default([])
      .meta({ description: "Networks inside `cidr` that stay forbidden, e.g. the cluster's pod and node ranges. Default: []." }),
    ports: z
      .array(portSpecSchema, { error: 'expected a list of ports' })
      .min(1)
      .optional()
      .meta({ description: 'Ports, each a number (TCP) or { port, endPort, protocol }. Default: every port and protocol.' }),
    to: z
      .enum(NAMED_DESTINATIONS, { error: 'expected "metadata-server" or "database"' })
      .optional()
      .meta({
        description:
          'Or a destination by name: "metadata-server" (the cloud metadata server of `cluster.platform`, for workload ' +
          'identity) or "database" (the environment\'s `database`). Default: none.',
      }),
  })
  .superRefine((rule, ctx) => {
    if ((rule.cidr === undefined) === (rule.to === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of "cidr" or "to"' });
    }
    if (rule.to !== undefined && (rule.ports !== undefined || rule.except.length > 0)) {
      ctx.addIssue({ code: 'custom', message: `"to: ${rule.to}" brings its own addresses and ports: leave out "ports" and "except"` });
    }
  });
export type EgressRule = z.infer<typeof egressRuleSchema>;

export const egressRulesSchema = z.array(egressRuleSchema, { error: 'expected a list of egress rules' });

/** An external database an environment's services connect to (RDS, Cloud SQL, a PrivateLink endpoint). */
export const externalDatabaseSchema = z.strictObject({
  cidr: cidr.meta({ description: 'Address of the database, e.g. "10.20.0.15/32" (or its subnet). Required.' }),
  port: port.default(5432).meta({ description: 'Port it listens on: 5432 for PostgreSQL, 3307 for the Cloud SQL Auth Proxy to Cloud SQL. Default: 5432.' }),
});
export type ExternalDatabase = z.infer<typeof externalDatabaseSchema>;
