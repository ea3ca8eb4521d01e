import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResolvedPort } from '../config/resolve-ports.ts';
import type { ContractedPeer, ServiceContract } from '../config/resolve-contracts.ts';
import { fencePolicy, policyPort } from './network-peers.ts';

/** The label every pod of a service carries (its migration Job's too), by which the policies select it. */
const NAME_LABEL = 'app.kubernetes.io/name';

export interface ServiceContractsProps {
  /** Application name, for labels. */
  readonly app: string;
  /** The contracts of the environment's services (resolveContracts). */
  readonly contracts: readonly ServiceContract[];
  /**
   * Per service, a database of its own inside the namespace (a preview's PostgreSQL): a service that declares
   * `talksTo` may still reach it. @default none
   */
  readonly ownDatabases?: ReadonlyMap<string, { readonly name: string; readonly port: number }>;
  /**
   * Pods besides the services' own that a service must admit even when its `allowFrom` names others (a preview's
   * smoke test, which tests one service from inside the namespace). @default none
   */
  readonly alsoAdmit?: ReadonlyArray<{
    readonly service: string;
    readonly podLabels: Readonly<Record<string, string>>;
    readonly ports: readonly ResolvedPort[];
  }>;
}

/**
 * The NetworkPolicies of service-to-service contracts, one per service and direction: `allow-<svc>-callers`
 * admits the `allowFrom` services' pods on the ports named, `allow-<svc>-calls` lets the service's pods reach the
 * `talksTo` services' on theirs. They only add: NetworkIsolation's `allow-same-namespace-*` leave these pods out
 * (`contractedServices`), so inside the namespace a contracted pod gets exactly what its contract says.
 */
export class ServiceContracts extends Construct {
  constructor(scope: Construct, id: string, props: ServiceContractsProps) {
    super(scope, id);
    const policy = (name: string, spec: kplus.k8s.NetworkPolicySpec) => fencePolicy(this, props.app, name, spec);
    for (const contract of props.contracts) {
      const pods = { matchLabels: { [NAME_LABEL]: contract.service } };
      const others = (props.alsoAdmit ?? []).filter((entry) => entry.service === contract.service);
      const ingress = [
        ...(contract.callers ?? []).map((caller) => ({ from: [peerPods(caller.service)], ports: ports(caller.ports) })),
        ...others.map((other) => ({ from: [{ podSelector: { matchLabels: { ...other.podLabels } } }], ports: ports(other.ports) })),
      ];
      if (contract.callers !== undefined && ingress.length > 0) {
        policy(`allow-${contract.service}-callers`, { podSelector: pods, policyTypes: ['Ingress'], ingress });
      }
      const database = props.ownDatabases?.get(contract.service);
      const callees: ContractedPeer[] = [
        ...(contract.callees ?? []),
        ...(contract.callees !== undefined && database ? [{ service: database.name, ports: [databasePort(database.port)] }] : []),
      ];
      if (callees.length > 0) {
        policy(`allow-${contract.service}-calls`, {
          podSelector: pods,
          policyTypes: ['Egress'],
          egress: callees.map((callee) => ({ to: [peerPods(callee.service)], ports: ports(callee.ports) })),
        });
      }
    }
  }
}

/** The services whose pods a contract fences, per direction: NetworkIsolation's same-namespace policies leave them out. */
export function contractedServices(contracts: readonly ServiceContract[]): { readonly ingress: string[]; readonly egress: string[] } {
  return {
    ingress: contracts.filter((contract) => contract.callers !== undefined).map((contract) => contract.service),
    egress: contracts.filter((contract) => contract.callees !== undefined).map((contract) => contract.service),
  };
}

function peerPods(service: string): kplus.k8s.NetworkPolicyPeer {
  return { podSelector: { matchLabels: { [NAME_LABEL]: service } } };
}

// The pod's own port, as a NetworkPolicy sees traffic after the Service forwarded it.
function ports(list: readonly ResolvedPort[]): kplus.k8s.NetworkPolicyPort[] {
  return list.map((port) => policyPort({ port: port.containerPort, protocol: port.protocol }));
}

function databasePort(port: number): ResolvedPort {
  return { name: 'postgres', containerPort: port, port, protocol: 'TCP' };
}
