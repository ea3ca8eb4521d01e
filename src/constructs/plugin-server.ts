import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PluginConfig } from '../config/argocd-schema.ts';
import type { NetworkPeer } from '../config/network-schema.ts';
import { DYNENV_IMAGE_UID } from './database-credentials.ts';
import { CONTROLLER_TOKEN_VOLUME, ControllerAccess, controllerContainer } from './plugin-controller.ts';
import { selectorLabels, serviceLabels } from './labels.ts';
import { policyPeer, udpAndTcp } from './network-peers.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, resourceQuantities, restrictedPodSecurity } from './pod-security.ts';

/** Where the plugin server finds the token Argo CD sends (PLUGIN_TOKEN_FILE). */
export const PLUGIN_TOKEN_DIRECTORY = '/var/run/secrets/dynenv/plugin-token';

/** The plugin server's routes the Deployment probes and the ConfigMap's baseUrl leads to. */
export const PLUGIN_ROUTES = { getParams: '/api/v1/getparams.execute', liveness: '/healthz', readiness: '/readyz' } as const;

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
  /** Ports of the Kubernetes API server, which the controller talks to. */
  readonly apiServerPorts: readonly number[];
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
    const httpGet = (path: string): kplus.k8s.HttpGetAction => ({ path, port: kplus.k8s.IntOrString.fromString('http') });
    const tcp = (port: number) => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) });

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

    new kplus.k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: plugin.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: plugin.name,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(DYNENV_IMAGE_UID),
            containers: [
              {
                name: 'plugin-server',
                image: plugin.image,
                args: ['serve'],
                ports: [{ name: 'http', containerPort: plugin.port, protocol: 'TCP' }],
                env: [
                  { name: 'PORT', value: String(plugin.port) },
                  { name: 'PLUGIN_TOKEN_FILE', value: `${PLUGIN_TOKEN_DIRECTORY}/${plugin.tokenSecret.key}` },
                  { name: 'DYNENV_REPOS', value: props.repositories.join(',') },
                  ...(plugin.githubApiUrl !== undefined ? [{ name: 'GITHUB_API_URL', value: plugin.githubApiUrl }] : []),
                  ...(controller.enabled ? [{ name: 'DYNENV_CONTROLLER_URL', value: `http://127.0.0.1:${controller.port}` }] : []),
                  // The path the Ingress routes is the path the server serves.
                  ...(plugin.webhook ? [{ name: 'DYNENV_WEBHOOK_PATH', value: plugin.webhook.path }] : []),
                ],
                // GITHUB_TOKEN (or the GitHub App's credentials) and GITHUB_WEBHOOK_SECRET, created with kubectl.
                envFrom: [{ secretRef: { name: plugin.githubSecret } }],
                readinessProbe: { httpGet: httpGet(PLUGIN_ROUTES.readiness), periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { httpGet: httpGet(PLUGIN_ROUTES.liveness), periodSeconds: 20, failureThreshold: 3 },
                resources: resourceQuantities(plugin.resources),
                securityContext: RESTRICTED_CONTAINER_SECURITY,
                volumeMounts: [{ name: 'plugin-token', mountPath: PLUGIN_TOKEN_DIRECTORY, readOnly: true }, TMP_MOUNT],
              },
              ...(controller.enabled
                ? [
                    controllerContainer({
                      image: plugin.image,
                      controller,
                      argocdNamespace: props.namespace,
                      pluginConfigMap: props.pluginConfigMap,
                      repositories: props.repositories,
                      githubSecret: controller.githubSecret ?? plugin.githubSecret,
                    }),
                  ]
                : []),
            ],
            volumes: [
              {
                name: 'plugin-token',
                secret: { secretName: plugin.tokenSecret.name, items: [{ key: plugin.tokenSecret.key, path: plugin.tokenSecret.key }], defaultMode: 0o440 },
              },
              TMP_VOLUME,
              ...(controller.enabled ? [CONTROLLER_TOKEN_VOLUME] : []),
            ],
          },
        },
      },
    });

    new kplus.k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: plugin.port, targetPort: kplus.k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    const githubPort = plugin.githubApiUrl ? Number(new URL(plugin.githubApiUrl).port || 443) : 443;
    // An egress rule without ports admits every port: add one only for ports HTTPS to GitHub does not cover.
    const apiServerOnlyPorts = controller.enabled ? props.apiServerPorts.filter((p) => p !== githubPort) : [];
    new kplus.k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ podSelector: { matchLabels: { ...props.applicationSetControllerLabels } } }], ports: [tcp(plugin.port)] },
          ...(plugin.webhook
            ? [
                { from: props.ingressFrom.map(policyPeer), ports: [tcp(plugin.port)] },
              ]
            : []),
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
          ...(apiServerOnlyPorts.length > 0 ? [{ ports: apiServerOnlyPorts.map(tcp) }] : []),
        ],
      },
    });

    if (plugin.webhook) {
      const { webhook } = plugin;
      new kplus.k8s.KubeIngress(this, 'Ingress', {
        metadata: {
          ...metadata,
          ...(webhook.tls?.clusterIssuer !== undefined && { annotations: { 'cert-manager.io/cluster-issuer': webhook.tls.clusterIssuer } }),
        },
        spec: {
          ...(props.ingressClassName !== undefined && { ingressClassName: props.ingressClassName }),
          ...(webhook.tls && { tls: [{ hosts: [webhook.host], ...(webhook.tls.secretName !== undefined && { secretName: webhook.tls.secretName }) }] }),
          rules: [
            {
              host: webhook.host,
              http: {
                // Only the webhook route: getparams stays reachable from the ApplicationSet controller alone.
                paths: [{ path: webhook.path, pathType: 'Exact', backend: { service: { name: plugin.name, port: { name: 'http' } } } }],
              },
            },
          ],
        },
      });
    }
  }
}
