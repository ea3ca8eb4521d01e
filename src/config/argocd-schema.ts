/**
 * `argocd:` and `access:` in dynenv.yaml: where Argo CD runs and how it syncs each environment, the plugin
 * server that lists pull requests for the preview ApplicationSet, and who may touch which environment.
 */
import { z } from 'zod';
import { booleanFlag, count, groupName, hostname, httpPath, labelKey, labelMap, namespaceName, objectName, pinnedImage, port } from './primitives.ts';
import { resourcesSchema } from './resources-schema.ts';
import { tlsSchema } from './guardrails-schema.ts';
import { PLUGIN_ROUTES } from '../../contract/plugin-routes.ts';
import { PLUGIN_SERVER_DEFAULTS } from '../../contract/plugin-server-defaults.ts';

/** Port the plugin server listens on unless told otherwise (the server's own default). */
export const PLUGIN_DEFAULT_PORT = PLUGIN_SERVER_DEFAULTS.port;

const secretKeyRef = z.strictObject({
  name: objectName.meta({ description: "Secret in Argo CD's namespace. Required." }),
  key: z
    .string({ error: 'expected a Secret key' })
    .regex(/^[-._a-zA-Z0-9]+$/, { error: 'expected a Secret key ([-._a-zA-Z0-9]+)' })
    .meta({ description: 'Key inside the Secret. Required.' }),
});

/** Port the controller container listens on unless told otherwise. */
export const CONTROLLER_DEFAULT_PORT = 4356;

const CONTROLLER_DEFAULT_RESOURCES = { requests: { cpu: '20m', memory: '96Mi' }, limits: { memory: '192Mi' } };

/** The controller container beside the plugin server: the only part of dynenv that talks to the Kubernetes API. */
export const controllerSchema = z.strictObject({
  enabled: booleanFlag.default(true).meta({
    description:
      "Run `dynenv controller` as a second container of the plugin server's pod, with a Role in Argo CD's namespace: after a " +
      'webhook it sets the refresh annotation on the preview ApplicationSets, so a preview appears at once. Default: true.',
  }),
  port: port.default(CONTROLLER_DEFAULT_PORT).meta({ description: `Port of its health, readiness and metrics routes. Default: ${CONTROLLER_DEFAULT_PORT}.` }),
  resources: resourcesSchema.default(CONTROLLER_DEFAULT_RESOURCES).meta({
    description: 'Requests and limits of the controller container. Default: { requests: { cpu: "20m", memory: "96Mi" }, limits: { memory: "192Mi" } }.',
  }),
  githubSecret: objectName.optional().meta({
    description:
      "Secret whose keys become the controller's environment: a GitHub token (or App) that may write deployments and pull-request " +
      "comments, for the previews' status. Give the plugin server (`githubSecret`) a read-only one and this one the writes. " +
      "Default: the plugin server's `githubSecret`.",
  }),
  argocdUrl: z
    .url({ error: 'expected a URL such as "https://argocd.example.com"' })
    .optional()
    .meta({ description: "Argo CD's web UI: deployment statuses and comments link to each Application there. Default: none (no link)." }),
});
export type PluginControllerConfig = z.infer<typeof controllerSchema>;

export const CONTROLLER_DEFAULTS: PluginControllerConfig = { enabled: true, port: CONTROLLER_DEFAULT_PORT, resources: CONTROLLER_DEFAULT_RESOURCES };

/** `dynenv sweep` as a CronJob: deletes preview namespaces nothing owns any more. */
export const sweepSchema = z.strictObject({
  enabled: booleanFlag.default(true).meta({
    description:
      "Run `dynenv sweep` as a CronJob in Argo CD's namespace, with its own ServiceAccount (list Applications; list and delete namespaces). Default: true.",
  }),
  schedule: z
    .string({ error: 'expected a cron schedule such as "17 * * * *"' })
    .regex(/^(\S+\s+){4}\S+$/, { error: 'expected a cron schedule of five fields such as "17 * * * *"' })
    .default('17 * * * *')
    .meta({ description: 'When it runs (cron, five fields). Default: "17 * * * *" (hourly).' }),
  graceMinutes: count(10080, 0).default(60).meta({ description: 'How old an unowned preview namespace must be before it is deleted. Default: 60.' }),
});
export type SweepConfig = z.infer<typeof sweepSchema>;
export const SWEEP_DEFAULTS: SweepConfig = { enabled: true, schedule: '17 * * * *', graceMinutes: 60 };

export const pluginSchema = z.strictObject({
  name: z
    .string({ error: 'expected a name' })
    .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a lower-case name of letters, digits and "-", starting with a letter' })
    .max(63, { error: 'expected at most 63 characters' })
    .optional()
    .meta({
      description:
        "Name of the plugin server's Deployment, Service, ServiceAccount and NetworkPolicy, and of the plugin ConfigMap, " +
        'in Argo CD\'s namespace. Default: "dynenv-plugin-<app>".',
    }),
  image: pinnedImage.optional().meta({
    description: 'The dynenv image (see the Dockerfile), pinned by tag or digest. Required for the Argo CD objects (with `repository`).',
  }),
  replicas: count(10, 1)
    .default(1)
    .meta({ description: "Replicas of the plugin server. Default: 1 (one cache, so a webhook's refresh is seen by every answer)." }),
  port: port
    .default(PLUGIN_DEFAULT_PORT)
    .meta({ description: `Port the server listens on (its PORT variable) and its Service exposes. Default: ${PLUGIN_DEFAULT_PORT}.` }),
  tokenSecret: secretKeyRef.default({ name: 'dynenv-plugin-token', key: 'token' }).meta({
    description:
      'The bearer token Argo CD sends and the server checks. The plugin ConfigMap names it as `$<name>:<key>`; the server reads ' +
      'the same key from a mounted file. Create it with kubectl, never commit it. Default: { name: "dynenv-plugin-token", key: "token" }.',
  }),
  githubSecret: objectName.default('dynenv-plugin-github').meta({
    description:
      "Secret whose keys become the server's environment: GITHUB_TOKEN (or the GitHub App's credentials) and, with webhooks, " +
      'GITHUB_WEBHOOK_SECRET. Create it with kubectl, never commit it. Default: "dynenv-plugin-github".',
  }),
  githubApiUrl: z
    .url({ error: 'expected a URL such as "https://github.example.com/api/v3"' })
    .optional()
    .meta({ description: 'GitHub API of a GitHub Enterprise Server. Default: the public API.' }),
  requestTimeoutSeconds: count(300, 1)
    .default(30)
    .meta({ description: "How long Argo CD waits for an answer (the ConfigMap's `requestTimeout`), in seconds. Default: 30." }),
  webhook: z
    .strictObject({
      host: hostname.meta({ description: 'Public host GitHub posts to. Required.' }),
      path: httpPath
        .default(PLUGIN_ROUTES.webhook)
        .meta({ description: 'Path of the server\'s webhook route; only this path is exposed. Default: "/api/v1/webhook/github".' }),
      tls: tlsSchema.optional().meta({ description: 'TLS of the webhook Ingress. Default: none.' }),
    })
    .optional()
    .meta({ description: 'Receive GitHub webhooks through the ingress, so a pushed commit refreshes its preview at once. Default: none.' }),
  metricsScrapers: z
    .strictObject({
      namespace: namespaceName.meta({ description: 'Namespace of the scraper, e.g. "monitoring". Required.' }),
      podLabels: labelMap.default({}).meta({ description: "Labels of the scraper's pods, to admit only them. Default: {} (every pod of that namespace)." }),
    })
    .optional()
    .meta({
      description:
        "Who may scrape the server's /metrics (Prometheus): admitted by its NetworkPolicy to the server's port (getparams " +
        'there still needs the token). Default: none (the ApplicationSet controller alone reaches the server).',
    }),
  resources: resourcesSchema.default({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } }).meta({
    description: 'Requests and limits of the plugin server. Default: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } }.',
  }),
  sweep: sweepSchema.default(SWEEP_DEFAULTS).meta({ description: 'The sweep of orphaned preview namespaces. Default: see each field.' }),
  controller: controllerSchema
    .default(CONTROLLER_DEFAULTS)
    .meta({ description: 'The controller beside the plugin server (instant previews, and their status on the pull request). Default: see each field.' }),
});
export type PluginConfig = z.infer<typeof pluginSchema>;

const syncPolicySchema = z.strictObject({
  automated: booleanFlag.default(false).meta({ description: 'Sync whenever Git changes; off means someone presses Sync. Default: false.' }),
  prune: booleanFlag.default(false).meta({ description: 'With `automated`: delete what Git no longer holds. Default: false.' }),
  selfHeal: booleanFlag.default(true).meta({ description: 'With `automated`: undo changes made in the cluster. Default: true.' }),
  // Issue 15: with Argo CD's resources finalizer, deleting the prod Application (a mistyped `argocd app delete`, an
  // app-of-apps that drops it) deletes every prod workload. Off unless someone chooses it.
  deleteResourcesOnDelete: booleanFlag.default(false).meta({
    description:
      "Give the prod Application Argo CD's resources finalizer, so that deleting the Application deletes every prod workload " +
      '(its Namespace is kept either way). Off: deleting the Application leaves prod running, unmanaged. Default: false.',
  }),
});

/** Argo CD's `application.resourceTrackingMethod` (argocd-cm): how it marks what an Application deployed. */
export const TRACKING_METHODS = ['annotation', 'label', 'annotation+label'] as const;
export type TrackingMethod = (typeof TRACKING_METHODS)[number];

const clusterServer = z.url({ error: 'expected a cluster API URL such as "https://kubernetes.default.svc"' });

const inCluster = (environment: string) =>
  clusterServer.optional().meta({ description: `API server of the cluster ${environment} deploys to. Default: the cluster Argo CD runs in (in-cluster).` });

export const argocdSchema = z.strictObject({
  namespace: namespaceName
    .default('argocd')
    .meta({ description: 'Namespace Argo CD runs in (and reads the plugin ConfigMap and token Secret from). Default: "argocd".' }),
  projects: z
    .strictObject({
      environments: namespaceName.optional().meta({ description: 'Project of the dev, staging and prod Applications. Default: "<app>".' }),
      previews: namespaceName.optional().meta({
        description:
          "Project of the preview workload Applications (each pull request's head): workload kinds only, in preview namespaces only. " +
          'Default: "<app>-previews".',
      }),
      previewFences: namespaceName.optional().meta({
        description:
          'Project of the preview fence Applications (Namespace, quota, NetworkPolicies, RBAC, Ingress from the base branch). ' +
          'Default: "<app>-preview-fences".',
      }),
    })
    .default({})
    .meta({
      description: 'AppProject names. Default: { environments: "<app>", previews: "<app>-previews", previewFences: "<app>-preview-fences" }.',
    }),
  clusters: z
    .strictObject({
      dev: inCluster('dev'),
      staging: inCluster('staging'),
      prod: inCluster('prod'),
      preview: inCluster('every preview'),
    })
    .default({})
    .meta({ description: 'Cluster API server per environment (Argo CD destination). Default: "https://kubernetes.default.svc" for each.' }),
  prodSync: syncPolicySchema.default({ automated: false, prune: false, selfHeal: true, deleteResourcesOnDelete: false }).meta({
    description:
      'How prod syncs, and whether deleting its Application deletes its workloads; dev and staging always sync automatically ' +
      'with prune and self-heal. Default: manual, workloads kept.',
  }),
  resourceTrackingMethod: z
    .enum(TRACKING_METHODS, { error: `expected one of ${TRACKING_METHODS.map((method) => `"${method}"`).join(', ')}` })
    .default('annotation')
    .meta({
      description:
        "Your Argo CD's `application.resourceTrackingMethod` (argocd-cm). The preview admission policy reads the Application " +
        'an object belongs to from it. Default: "annotation" (the default since Argo CD 3.0).',
    }),
  instanceLabelKey: labelKey.default('app.kubernetes.io/instance').meta({
    description: 'Your Argo CD\'s `application.instanceLabelKey` (argocd-cm), used with label tracking. Default: "app.kubernetes.io/instance".',
  }),
  applicationControllerServiceAccount: objectName.default('argocd-application-controller').meta({
    description:
      "ServiceAccount of Argo CD's application controller in `argocd.namespace`: what it applies to a preview namespace must " +
      'belong to that namespace\'s own preview Applications. Default: "argocd-application-controller".',
  }),
  applicationSetControllerLabels: labelMap.default({ 'app.kubernetes.io/name': 'argocd-applicationset-controller' }).meta({
    description:
      "Labels of the ApplicationSet controller's pods, the only client the plugin server admits. " +
      'Default: { "app.kubernetes.io/name": "argocd-applicationset-controller" }.',
  }),
  plugin: pluginSchema
    .default({
      replicas: 1,
      port: PLUGIN_DEFAULT_PORT,
      tokenSecret: { name: 'dynenv-plugin-token', key: 'token' },
      githubSecret: 'dynenv-plugin-github',
      requestTimeoutSeconds: 30,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      controller: CONTROLLER_DEFAULTS,
      sweep: SWEEP_DEFAULTS,
    })
    .meta({ description: 'The plugin server, which lists open pull requests for the preview ApplicationSet. Default: see each field.' }),
});
export type ArgocdConfig = z.infer<typeof argocdSchema>;

const groups = (description: string) => z.array(groupName, { error: 'expected a list of group names' }).default([]).meta({ description });

/** Who may do what where: the RBAC matrix (see README "Access"). Groups are your authenticator's (OIDC) groups. */
export const accessSchema = z.strictObject({
  developers: groups('Groups of developers: read/write in dev and previews, read-only plus port-forward in staging, nothing in prod. Default: [].'),
  sre: groups('Groups of SREs: full access in dev, staging and previews; deploy and rollback without reading Secrets in prod. Default: [].'),
  security: groups('Groups of the security team: read everything but Secret values everywhere; edit NetworkPolicies in staging. Default: [].'),
  ci: z
    .strictObject({
      namespace: namespaceName.meta({ description: 'Namespace of the ServiceAccount. Required.' }),
      serviceAccount: objectName.meta({ description: 'Name of the ServiceAccount. Required.' }),
    })
    .optional()
    .meta({ description: "The CI pipeline's ServiceAccount: may deploy only to preview (`pr-*`) namespaces. Default: none." }),
});
export type AccessConfig = z.infer<typeof accessSchema>;
