import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { NetworkPeer } from '../config/network-schema.ts';
import type { ResolvedEgress } from '../config/resolve-egress.ts';
import { SYNC_WAVES, syncWave } from './argocd-sync.ts';
import { appLabels } from './labels.ts';
import { egressRule, policyPeer, policyPort, udpAndTcp } from './network-peers.ts';

/**
 * cert-manager's HTTP-01 solver pods carry this label (pkg/apis/acme/v1/types.go, SolverIdentificationLabelKey)
 * and listen on this port (pkg/issuer/acme/http/http.go, acmeSolverListenPort), in the namespace of the Ingress
 * whose certificate they obtain: https://github.com/cert-manager/cert-manager
 */
export const ACME_HTTP01_SOLVER = { label: 'acme.cert-manager.io/http01-solver', port: 8089 } as const;

export interface NetworkIsolationProps {
  /** Application name, for labels. */
  readonly app: string;
  /** The cluster DNS: who answers, on which ports (UDP and TCP). */
  readonly dns: { readonly peers: readonly NetworkPeer[]; readonly ports: readonly number[] };
  /** Where the ingress controller's traffic comes from. @default [] (only needed with `ingressBackends` or `acmeSolver`) */
  readonly ingressFrom?: readonly NetworkPeer[];
  /**
   * Pods behind an Ingress (their `app.kubernetes.io/name`) and the container ports the controller reaches.
   * @default none (no rule for the ingress controller)
   */
  readonly ingressBackends?: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  /** Admit the ingress controller to cert-manager's HTTP-01 solver pods (TLS from a cert-manager issuer). @default false */
  readonly acmeSolver?: boolean;
  /** Egress beyond the namespace and DNS, for every pod and per service. @default none */
  readonly egress?: ResolvedEgress;
  /**
   * Pods (by label) that may reach the ingress controller (`ingressFrom`) on `ports`: a preview's smoke test,
   * which tests the preview at its URL. @default none
   */
  readonly toIngressController?: { readonly name: string; readonly podLabels: Readonly<Record<string, string>>; readonly ports: readonly number[] };
}

/**
 * The network boundary of an environment: everything denied in both directions, then allowed back one
 * purpose at a time, one NetworkPolicy per purpose so that `kubectl get networkpolicy` reads as the list of
 * what may cross it: traffic inside the namespace, DNS (a default deny blocks it too), the ingress controller
 * to the pods behind an Ingress and to cert-manager's solver, configured egress, and each service's own egress.
 */
export class NetworkIsolation extends Construct {
  constructor(scope: Construct, id: string, props: NetworkIsolationProps) {
    super(scope, id);
    const policy = (name: string, spec: kplus.k8s.NetworkPolicySpec) =>
      new kplus.k8s.KubeNetworkPolicy(this, name, {
        metadata: { name, labels: appLabels(props.app), annotations: syncWave(SYNC_WAVES.guardrails) },
        spec,
      });
    const everyPod = {};
    const ingressFrom = (props.ingressFrom ?? []).map(policyPeer);

    policy('default-deny', { podSelector: everyPod, policyTypes: ['Ingress', 'Egress'] });
    policy('allow-same-namespace', {
      podSelector: everyPod,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: everyPod }] }],
      egress: [{ to: [{ podSelector: everyPod }] }],
    });
    policy('allow-dns', {
      podSelector: everyPod,
      policyTypes: ['Egress'],
      egress: [{ to: props.dns.peers.map(policyPeer), ports: udpAndTcp(props.dns.ports) }],
    });
    const backends = props.ingressBackends ?? [];
    if (backends.length > 0) {
      policy('allow-from-ingress-controller', {
        podSelector: {
          matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [...new Set(backends.map((backend) => backend.name))].sort() }],
        },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: ingressFrom,
            ports: [...new Set(backends.map((backend) => backend.port))].sort((a, b) => a - b).map((port) => policyPort({ port, protocol: 'TCP' })),
          },
        ],
      });
    }
    if (props.acmeSolver) {
      policy('allow-acme-http01-solver', {
        podSelector: { matchLabels: { [ACME_HTTP01_SOLVER.label]: 'true' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: ingressFrom, ports: [policyPort({ port: ACME_HTTP01_SOLVER.port, protocol: 'TCP' })] }],
      });
    }
    const toIngress = props.toIngressController;
    if (toIngress && ingressFrom.length > 0) {
      policy(toIngress.name, {
        podSelector: { matchLabels: { ...toIngress.podLabels } },
        policyTypes: ['Egress'],
        egress: [{ to: ingressFrom, ports: toIngress.ports.map((port) => policyPort({ port, protocol: 'TCP' })) }],
      });
    }
    const egress = props.egress;
    if (egress && egress.everyPod.length > 0) {
      policy('allow-egress', { podSelector: everyPod, policyTypes: ['Egress'], egress: egress.everyPod.map(egressRule) });
    }
    for (const { service, destinations } of egress?.services ?? []) {
      // The service's pods and its migration Job's, which carry the same name label.
      policy(`allow-egress-${service}`, {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': service } },
        policyTypes: ['Egress'],
        egress: destinations.map(egressRule),
      });
    }
  }
}
