import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PluginConfig } from '../config/argocd-schema.ts';
import { PLUGIN_ROUTES } from '../../contract/plugin-routes.ts';
import { DYNENV_IMAGE_UID } from './database-credentials.ts';
import { CONTROLLER_TOKEN_VOLUME, controllerContainer } from './plugin-controller.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, resourceQuantities, restrictedPodSecurity } from './pod-security.ts';

/** Where the plugin server finds the token Argo CD sends (PLUGIN_TOKEN_FILE). */
export const PLUGIN_TOKEN_DIRECTORY = '/var/run/secrets/dynenv/plugin-token';

export interface PluginServerDeploymentProps {
  readonly metadata: kplus.k8s.ObjectMeta;
  readonly selector: Readonly<Record<string, string>>;
  /** Argo CD's namespace, which the controller watches. */
  readonly namespace: string;
  /** The server's settings, with its name and image resolved. */
  readonly plugin: PluginConfig & { readonly name: string; readonly image: string };
  /** `owner/name` of the repositories the server may list (DYNENV_REPOS). */
  readonly repositories: readonly string[];
  /** Name of the plugin ConfigMap, which the controller finds the preview ApplicationSets by. */
  readonly pluginConfigMap: string;
}

/**
 * The plugin server's pods: `serve` as non-root with the plugin token mounted from its Secret and the GitHub
 * credentials from another, never a Kubernetes token; with the controller on, the `dynenv controller` container
 * beside it, which alone gets the ServiceAccount's token.
 */
export class PluginServerDeployment extends Construct {
  constructor(scope: Construct, id: string, props: PluginServerDeploymentProps) {
    super(scope, id);
    const { plugin, metadata, selector } = props;
    const { controller } = plugin;
    const httpGet = (path: string): kplus.k8s.HttpGetAction => ({ path, port: kplus.k8s.IntOrString.fromString('http') });
    new kplus.k8s.KubeDeployment(this, 'Resource', {
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
  }
}
