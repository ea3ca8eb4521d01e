/**
 * `argocd:` and `access:` in dynenv.yaml: where Argo CD runs and how it syncs each environment, the plugin
 * server that lists pull requests for the preview ApplicationSet, and who may touch which environment.
 */
import { z } from 'zod';
import {
  booleanFlag,
  count,
  groupName,
  hostname,
  httpPath,
  labelMap,
  namespaceName,
  objectName,
  pinnedImage,
  port,
} from './primitives.ts';
import { resourcesSchema } from './resources-schema.ts';
import { tlsSchema } from './guardrails-schema.ts';

/** Port the plugin server listens on unless told otherwise (the server's own default). */
export const PLUGIN_DEFAULT_PORT = 4355;

const secretKeyRef = z.strictObject({
  /** Secret in Argo CD's namespace. Required. */
  name: objectName,
  /** Key inside the Secret. Required. */
  key: z.string({ error: 'expected a Secret key' }).regex(/^[-._a-zA-Z0-9]+$/, { error: 'expected a Secret key ([-._a-zA-Z0-9]+)' }),
});

export const pluginSchema = z.strictObject({
  /**
   * Name of the plugin server's Deployment, Service, ServiceAccount and NetworkPolicy, and of the plugin
   * ConfigMap, in Argo CD's namespace. @default "dynenv-plugin-<app>"
   */
  name: z
    .string({ error: 'expected a name' })
    .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a lower-case name of letters, digits and "-", starting with a letter' })
    .max(63, { error: 'expected at most 63 characters' })
    .optional(),
  /** The dynenv image (see the Dockerfile), pinned by tag or digest. Required for the Argo CD objects. */
  image: pinnedImage.optional(),
  /** @default 1 (one cache, so a webhook's refresh is seen by every answer) */
  replicas: count(10, 1).default(1),
  /** Port the server listens on (its PORT variable) and its Service exposes. @default 4355 */
  port: port.default(PLUGIN_DEFAULT_PORT),
  /**
   * The bearer token Argo CD sends and the server checks. The plugin ConfigMap names it as
   * `$<name>:<key>`; the server reads the same key from a mounted file. Create it with kubectl, never commit it.
   * @default { name: "dynenv-plugin-token", key: "token" }
   */
  tokenSecret: secretKeyRef.default({ name: 'dynenv-plugin-token', key: 'token' }),
  /**
   * Secret whose keys become the server's environment: GITHUB_TOKEN (or the GitHub App's credentials) and, with
   * webhooks, GITHUB_WEBHOOK_SECRET. Create it with kubectl, never commit it. @default "dynenv-plugin-github"
   */
  githubSecret: objectName.default('dynenv-plugin-github'),
  /** GitHub API of a GitHub Enterprise Server. @default the public API */
  githubApiUrl: z.url({ error: 'expected a URL such as "https://github.example.com/api/v3"' }).optional(),
  /** How long Argo CD waits for an answer (the ConfigMap's `requestTimeout`). @default 30 */
  requestTimeoutSeconds: count(300, 1).default(30),
  /** Receive GitHub webhooks through the ingress, so a pushed commit refreshes its preview at once. @default none */
  webhook: z
    .strictObject({
      /** Public host GitHub posts to. Required. */
      host: hostname,
      /** Path of the server's webhook route; only this path is exposed. @default "/api/v1/webhook/github" */
      path: httpPath.default('/api/v1/webhook/github'),
      /** TLS of the webhook Ingress. @default none */
      tls: tlsSchema.optional(),
    })
    .optional(),
  /** @default { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } */
  resources: resourcesSchema.default({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } }),
});
export type PluginConfig = z.infer<typeof pluginSchema>;

const syncPolicySchema = z.strictObject({
  /** Sync whenever Git changes; off means someone presses Sync. @default false */
  automated: booleanFlag.default(false),
  /** With `automated`: delete what Git no longer holds. @default false */
  prune: booleanFlag.default(false),
  /** With `automated`: undo changes made in the cluster. @default true */
  selfHeal: booleanFlag.default(true),
});

const clusterServer = z.url({ error: 'expected a cluster API URL such as "https://kubernetes.default.svc"' });

export const argocdSchema = z.strictObject({
  /** Namespace Argo CD runs in (and reads the plugin ConfigMap and token Secret from). @default "argocd" */
  namespace: namespaceName.default('argocd'),
  /** AppProject names. @default { environments: "<app>", previews: "<app>-previews" } */
  projects: z
    .strictObject({
      /** Project of the dev, staging and prod Applications. @default "<app>" */
      environments: namespaceName.optional(),
      /** Project of the preview Applications, restricted to `pr-*` namespaces. @default "<app>-previews" */
      previews: namespaceName.optional(),
    })
    .default({}),
  /** Cluster API server per environment (Argo CD destination). @default "https://kubernetes.default.svc" for each */
  clusters: z
    .strictObject({
      /** @default in-cluster */
      dev: clusterServer.optional(),
      /** @default in-cluster */
      staging: clusterServer.optional(),
      /** @default in-cluster */
      prod: clusterServer.optional(),
      /** @default in-cluster */
      preview: clusterServer.optional(),
    })
    .default({}),
  /** How prod syncs; dev and staging always sync automatically with prune and self-heal. @default manual */
  prodSync: syncPolicySchema.default({ automated: false, prune: false, selfHeal: true }),
  /** Labels of the ApplicationSet controller's pods, the only client the plugin server admits. */
  applicationSetControllerLabels: labelMap.default({ 'app.kubernetes.io/name': 'argocd-applicationset-controller' }),
  /** The plugin server. */
  plugin: pluginSchema.default({
    replicas: 1,
    port: PLUGIN_DEFAULT_PORT,
    tokenSecret: { name: 'dynenv-plugin-token', key: 'token' },
    githubSecret: 'dynenv-plugin-github',
    requestTimeoutSeconds: 30,
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  }),
});
export type ArgocdConfig = z.infer<typeof argocdSchema>;

const groups = z.array(groupName, { error: 'expected a list of group names' }).default([]);

/** Who may do what where: the RBAC matrix (see README "Access"). Groups are your authenticator's (OIDC) groups. */
export const accessSchema = z.strictObject({
  /** Read/write in dev and previews, read-only plus port-forward in staging, nothing in prod. @default [] */
  developers: groups,
  /** Full access in dev, staging and previews; deploy and rollback without reading Secrets in prod. @default [] */
  sre: groups,
  /** Read everything but Secret values everywhere; edit NetworkPolicies in staging. @default [] */
  security: groups,
  /** The CI pipeline's ServiceAccount: may deploy only to preview (`pr-*`) namespaces. @default none */
  ci: z
    .strictObject({
      /** Namespace of the ServiceAccount. Required. */
      namespace: namespaceName,
      /** Name of the ServiceAccount. Required. */
      serviceAccount: objectName,
    })
    .optional(),
});
export type AccessConfig = z.infer<typeof accessSchema>;

/** The cluster around the environments: ingress controller and DNS, which the NetworkPolicies must admit. */
export const clusterSchema = z.strictObject({
  /** Namespace of the ingress controller, admitted to the pods behind an Ingress. @default "ingress-nginx" */
  ingressControllerNamespace: namespaceName.default('ingress-nginx'),
  /** IngressClass of every Ingress. @default the cluster's default IngressClass */
  ingressClassName: objectName.optional(),
  /** Namespace of the cluster DNS. @default "kube-system" */
  dnsNamespace: namespaceName.default('kube-system'),
  /** Labels of the cluster DNS pods. @default { "k8s-app": "kube-dns" } (CoreDNS and kube-dns) */
  dnsPodLabels: labelMap.default({ 'k8s-app': 'kube-dns' }),
  /** Ports of the Kubernetes API server, for the one Job that talks to it. @default [443, 6443] */
  apiServerPorts: z.array(port, { error: 'expected a list of ports' }).min(1).default([443, 6443]),
});
export type ClusterConfig = z.infer<typeof clusterSchema>;
