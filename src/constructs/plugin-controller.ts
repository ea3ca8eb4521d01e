import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PluginControllerConfig } from '../config/argocd-schema.ts';
import { appLabels } from './labels.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, resourceQuantities } from './pod-security.ts';
import { CONTROLLER_ROUTES } from '../../contract/plugin-routes.ts';

/** Where the controller container (and only it) finds the ServiceAccount's token, as kubectl expects it in a pod. */
export const CONTROLLER_TOKEN_DIRECTORY = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The ConfigMap Kubernetes publishes in every namespace with the cluster's CA certificate. */
export const KUBE_ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

/** The projected volume the kubelet would mount into every container, mounted into the controller alone. */
export const CONTROLLER_TOKEN_VOLUME: kplus.k8s.Volume = {
  name: 'kubernetes-api-access',
  projected: {
    defaultMode: 0o440,
    sources: [
      // Bound, audience-checked and rotated hourly by the kubelet; the controller reads it again as it changes.
      { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
      { configMap: { name: KUBE_ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardApi: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};

export interface ControllerContainerProps {
  readonly image: string;
  readonly controller: PluginControllerConfig;
  /** Argo CD's namespace. */
  readonly argocdNamespace: string;
  /** The plugin ConfigMap's name: the generators that name it are this plugin's. */
  readonly pluginConfigMap: string;
  /** `owner/name` of the repositories (DYNENV_REPOS). */
  readonly repositories: readonly string[];
  /** The Secret with the GitHub credentials the status reports are written with. */
  readonly githubSecret: string;
}

/** The `dynenv controller` container of the plugin server's pod. */
export function controllerContainer(props: ControllerContainerProps): kplus.k8s.Container {
  const httpGet = (path: string): kplus.k8s.HttpGetAction => ({ path, port: kplus.k8s.IntOrString.fromString('controller') });
  return {
    name: 'controller',
    image: props.image,
    args: ['controller'],
    ports: [{ name: 'controller', containerPort: props.controller.port, protocol: 'TCP' }],
    env: [
      { name: 'DYNENV_CONTROLLER_HOST', value: '0.0.0.0' },
      { name: 'DYNENV_CONTROLLER_PORT', value: String(props.controller.port) },
      { name: 'DYNENV_ARGOCD_NAMESPACE', value: props.argocdNamespace },
      { name: 'DYNENV_PLUGIN_CONFIGMAP', value: props.pluginConfigMap },
      { name: 'DYNENV_REPOS', value: props.repositories.join(',') },
      ...(props.controller.argocdUrl !== undefined ? [{ name: 'DYNENV_ARGOCD_URL', value: props.controller.argocdUrl }] : []),
    ],
    // GITHUB_TOKEN (or a GitHub App's credentials) allowed to write deployments and comments.
    envFrom: [{ secretRef: { name: props.githubSecret } }],
    readinessProbe: { httpGet: httpGet(CONTROLLER_ROUTES.readiness), periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { httpGet: httpGet(CONTROLLER_ROUTES.liveness), periodSeconds: 20, failureThreshold: 3 },
    resources: resourceQuantities(props.controller.resources),
    securityContext: RESTRICTED_CONTAINER_SECURITY,
    volumeMounts: [{ name: CONTROLLER_TOKEN_VOLUME.name, mountPath: CONTROLLER_TOKEN_DIRECTORY, readOnly: true }, TMP_MOUNT],
  };
}

export interface ControllerAccessProps {
  /** Application name, for labels. */
  readonly app: string;
  /** The plugin server's ServiceAccount, Role and RoleBinding name. */
  readonly name: string;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** The ApplicationSets dynenv writes for this application: the only ones the controller may patch. */
  readonly applicationSets: readonly string[];
}

/**
 * What the controller may do, in Argo CD's namespace only: read ApplicationSets (to find those that use the
 * plugin, whoever wrote them) and Applications (the previews' state), and patch the preview ApplicationSets by
 * name. RBAC cannot narrow a patch to one annotation; the names are as narrow as it gets.
 */
export class ControllerAccess extends Construct {
  constructor(scope: Construct, id: string, props: ControllerAccessProps) {
    super(scope, id);
    const metadata = { name: props.name, namespace: props.namespace, labels: appLabels(props.app) };
    new kplus.k8s.KubeRole(this, 'Role', {
      metadata,
      rules: [
        { apiGroups: ['argoproj.io'], resources: ['applicationsets', 'applications'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['argoproj.io'], resources: ['applicationsets'], verbs: ['patch'], resourceNames: [...props.applicationSets] },
      ],
    });
    new kplus.k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
      subjects: [{ kind: 'ServiceAccount', name: props.name, namespace: props.namespace }],
    });
  }
}
