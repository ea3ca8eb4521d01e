import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PluginConfig } from '../config/argocd-schema.ts';
import type { NetworkPeer } from '../config/network-schema.ts';
import { apiServerEgressRule, policyPeer, udpAndTcp, type ApiServerEndpoints } from './network-peers.ts';

export interface PluginServerNetworkPolicyProps {
  readonly metadata: kplus.k8s.ObjectMeta;
  readonly selector: Readonly<Record<string, string>>;
  readonly plugin: PluginConfig;
  /** Labels of the ApplicationSet controller's pods: the only client admitted. */
  readonly applicationSetControllerLabels: Readonly<Record<string, string>>;
  /** Where the ingress controller's traffic comes from (admitted only with a webhook). */
  readonly ingressFrom: readonly NetworkPeer[];
  /** The cluster DNS: who answers, on which ports. */
  readonly dns: { readonly peers: readonly NetworkPeer[]; readonly ports: readonly number[] };
  /** The Kubernetes API server, which the controller talks to. */
  readonly apiServer: ApiServerEndpoints;
}

/**
 * Who may reach the plugin server's pods and where they may go: in, the ApplicationSet controller (and, with a
 * webhook, the ingress controller; when configured, the metrics scraper); out, DNS and HTTPS to GitHub (and, with
 * the controller on, the Kubernetes API server's ports).
 */
export class PluginServerNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: PluginServerNetworkPolicyProps) {
    super(scope, id);
    const { plugin, metadata, selector } = props;
    const { controller } = plugin;
    const tcp = (port: number) => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) });
    const githubPort = plugin.githubApiUrl ? Number(new URL(plugin.githubApiUrl).port || 443) : 443;
    // An egress rule without ports admits every port: add one only for ports HTTPS to GitHub does not cover.
    const apiServerOnlyPorts = controller.enabled ? props.apiServer.ports.filter((p) => p !== githubPort) : [];
    new kplus.k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ podSelector: { matchLabels: { ...props.applicationSetControllerLabels } } }], ports: [tcp(plugin.port)] },
          ...(plugin.webhook ? [{ from: props.ingressFrom.map(policyPeer), ports: [tcp(plugin.port)] }] : []),
          ...(plugin.metricsScrapers
            ? [
                {
                  from: [
                    {
                      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': plugin.metricsScrapers.namespace } },
                      ...(Object.keys(plugin.metricsScrapers.podLabels).length > 0 && {
                        podSelector: { matchLabels: { ...plugin.metricsScrapers.podLabels } },
                      }),
                    },
                  ],
                  ports: [tcp(plugin.port), ...(controller.enabled ? [tcp(controller.port)] : [])],
                },
              ]
            : []),
        ],
        egress: [
          { to: props.dns.peers.map(policyPeer), ports: udpAndTcp(props.dns.ports) },
          // GitHub's addresses change: HTTPS to anywhere, nothing else.
          { ports: [tcp(githubPort)] },
          // The controller container talks to the Kubernetes API server.
          ...(apiServerOnlyPorts.length > 0 ? [apiServerEgressRule({ addresses: props.apiServer.addresses, ports: apiServerOnlyPorts })] : []),
        ],
      },
    });
  }
}
