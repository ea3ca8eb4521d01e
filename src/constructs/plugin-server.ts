import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PluginConfig } from '../config/argocd-schema.ts';
import type { NetworkPeer } from '../config/network-schema.ts';
import { ControllerAccess } from './plugin-controller.ts';
import { selectorLabels, serviceLabels } from './labels.ts';
import type { ApiServerEndpoints } from './network-peers.ts';
import { PluginServerDeployment } from './plugin-server-deployment.ts';
import { PluginServerNetworkPolicy } from './plugin-server-network-policy.ts';
import { PluginWebhookIngress } from './plugin-webhook-ingress.ts';

export interface PluginServerProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Argo CD's namespace, where the server runs next to the ApplicationSet controller. */
  readonly namespace: string;
  /** The server's settings, with its name and image resolved. */
  readonly plugin: PluginConfig & { readonly name: string; readonly image: string };
  /** `owner/name` of the repositories the server may list (DYNENV_REPOS). */
  readonly repositories: readonly string[];
  /** Labels of the ApplicationSet controller's pods: the only client admitted. */
  readonly applicationSetControllerLabels: Readonly<Record<string, string>>;
  /** Where the ingress controller's traffic comes from (admitted only with a webhook). */
  readonly ingressFrom: readonly NetworkPeer[];
  /** The cluster DNS: who answers, on which ports. */
  readonly dns: { readonly peers: readonly NetworkPeer[]; readonly ports: readonly number[] };
  /** IngressClass of the webhook Ingress. @default the cluster's default */
  readonly ingressClassName?: string;
  /** Name of the plugin ConfigMap, which the controller finds the preview ApplicationSets by. */
  readonly pluginConfigMap: string;
  /** The ApplicationSets dynenv writes for the previews: the only ones the controller may patch. */
  readonly previewApplicationSets: readonly string[];
  /** The Kubernetes API server, which the controller talks to. */
  readonly apiServer: ApiServerEndpoints;
}

/** The base URL Argo CD calls the plugin server at (its Service inside the cluster). */
export function pluginBaseUrl(name: string, namespace: string, port: number): string {
  return `http://${name}.${namespace}.svc:${port}`;
}

/**
 * The plugin server: a Deployment running the dynenv image's `serve` command as non-root with the token mounted
 * from its Secret and the GitHub credentials from another, a Service for Argo CD, and a NetworkPolicy that admits
 * the ApplicationSet controller (and, when webhooks are on, the ingress controller; when configured, the metrics
 * scraper) and lets the server out only to DNS and HTTPS. With webhooks on, an Ingress exposes the webhook route
 * alone. The `serve` container, the one the internet reaches, never holds a Kubernetes token: with the controller
 * on, a second container (`dynenv controller`) of the same pod gets the ServiceAccount's token mounted into it
 * alone, and a Role in Argo CD's namespace (ControllerAccess); `serve` tells it over loopback which repository a
 * webhook changed.
 */
export class PluginServer extends Construct {
  constructor(scope: Construct, id: string, props: PluginServerProps) {
    super(scope, id);
    const { plugin } = props;
    const labels = serviceLabels(props.app, plugin.name);
    const selector = selectorLabels(props.app, plugin.name);
    const metadata = { name: plugin.name, namespace: props.namespace, labels };

    const { controller } = plugin;
    new kplus.k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    if (controller.enabled) {
      new ControllerAccess(this, 'ControllerAccess', {
        app: props.app,
        name: plugin.name,
        namespace: props.namespace,
        applicationSets: props.previewApplicationSets,
      });
    }

    new PluginServerDeployment(this, 'Deployment', { ...props, metadata, selector });
    new kplus.k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: plugin.port, targetPort: kplus.k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    new PluginServerNetworkPolicy(this, 'NetworkPolicy', { ...props, metadata, selector });
    if (plugin.webhook)
      new PluginWebhookIngress(this, 'Ingress', { metadata, serviceName: plugin.name, webhook: plugin.webhook, ingressClassName: props.ingressClassName });
  }
}
