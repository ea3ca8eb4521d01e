import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { EgressRule } from '../config/guardrails-schema.ts';
import { SYNC_WAVES, syncWave } from './argocd-sync.ts';
import { appLabels } from './labels.ts';

export interface NetworkIsolationProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Namespace of the cluster DNS. */
  readonly dnsNamespace: string;
  /** Labels of the cluster DNS pods. */
  readonly dnsPodLabels: Readonly<Record<string, string>>;
  /** Namespace of the ingress controller. */
  readonly ingressControllerNamespace: string;
  /**
   * Pods behind an Ingress (their `app.kubernetes.io/name`) and the container ports the controller reaches.
   * @default none (no rule for the ingress controller)
   */
  readonly ingressBackends?: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  /** Extra egress for every pod. @default [] */
  readonly allowEgress?: readonly EgressRule[];
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The network boundary of an environment: everything denied in both directions, then allowed back one
 * purpose at a time, one NetworkPolicy per purpose so that `kubectl get networkpolicy` reads as the list of
 * what may cross it: traffic inside the namespace, DNS to the cluster DNS in kube-system (a default deny
 * blocks it too), the ingress controller to the pods behind an Ingress, and configured egress.
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
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.dnsNamespace } },
              podSelector: { matchLabels: { ...props.dnsPodLabels } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: kplus.k8s.IntOrString.fromNumber(53) },
            { protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(53) },
          ],
        },
      ],
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
            from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.ingressControllerNamespace } } }],
            ports: [...new Set(backends.map((backend) => backend.port))]
              .sort((a, b) => a - b)
              .map((port) => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) })),
          },
        ],
      });
    }
    const egress = props.allowEgress ?? [];
    if (egress.length > 0) {
      policy('allow-egress', {
        podSelector: everyPod,
        policyTypes: ['Egress'],
        egress: egress.map((rule) => ({
          to: [{ ipBlock: { cidr: rule.cidr, ...(rule.except.length > 0 && { except: [...rule.except] }) } }],
          ...(rule.ports && { ports: rule.ports.map((port) => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) })) }),
        })),
      });
    }
  }
}
