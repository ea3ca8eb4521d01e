/**
 * The schema of `dynenv.yaml`: one typed description of an application and its four environments.
 *
 * Every object is strict (an unknown key is an error: a typo must not be silently ignored), every default is
 * written here, and every message says what was expected so that the loader can add where and what was found:
 * `dynenv.yaml: services[1].port: expected an integer 1-65535, got "http"`.
 */
import { z } from 'zod';
import { accessSchema, argocdSchema, clusterSchema } from './argocd-schema.ts';
import { checkEnvironments } from './environment-checks.ts';
import { ENVIRONMENT_NAMES, PINNED_ENVIRONMENTS, type EnvironmentName } from './environment-names.ts';
import {
  autoscalingSchema,
  disruptionBudgetSchema,
  limitRangeSchema,
  networkSchema,
  podSecuritySchema,
  quotaSchema,
  tlsSchema,
} from './guardrails-schema.ts';
import { previewSchema } from './preview-schema.ts';
import {
  digest,
  dns1035Label,
  GITHUB_REPOSITORY,
  hostname,
  httpPath,
  imageRepository,
  imageTag,
  labelValue,
  namespaceName,
  objectName,
  port,
  replicas,
} from './primitives.ts';
import { resourcesSchema } from './resources-schema.ts';

export { GITHUB_REPOSITORY, IMAGE_DIGEST } from './primitives.ts';
export { resourcesSchema, type Resources } from './resources-schema.ts';
export { ENVIRONMENT_NAMES, PINNED_ENVIRONMENTS, type EnvironmentName };

/** A command run to completion in the service's image. */
const jobCommandSchema = z.strictObject({
  command: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .min(1)
    .meta({ description: 'Container command. Required.' }),
  args: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .optional()
    .meta({ description: 'Container arguments. Default: none.' }),
});
export type JobCommand = z.infer<typeof jobCommandSchema>;

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;
// YAML reads `PORT: 8080` as a number and `DEBUG: true` as a boolean; a container env var is always a string.
const envMap = z.record(
  z.string().regex(envVarName, { error: 'expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*)' }),
  z
    .union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' })
    .transform((value) => String(value)),
);

export const serviceSchema = z.strictObject({
  name: dns1035Label.meta({ description: 'Name of the Deployment, Service, ServiceAccount and container. Required.' }),
  image: imageRepository.meta({
    description: 'Image repository without tag or digest; each environment pins the tag or digest. Required.',
  }),
  port: port
    .optional()
    .meta({ description: 'Container port served over HTTP; a Service is created only when set. Default: none (no Service).' }),
  healthPath: httpPath
    .optional()
    .meta({ description: 'HTTP path of the readiness, liveness and startup probes; needs `port`. Default: none.' }),
  healthCommand: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .min(1)
    .optional()
    .meta({ description: 'Probe command for a service without a port (a worker). Default: none.' }),
  ingress: z
    .boolean({ error: 'expected true or false' })
    .default(false)
    .meta({ description: "Expose the service through the environment's ingress host; needs `port`. Default: false." }),
  database: z
    .enum(['postgres'], { error: 'expected "postgres"' })
    .optional()
    .meta({ description: 'The service needs a database of this engine (a preview gets its own). Default: none.' }),
  command: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .optional()
    .meta({ description: "Container command (entrypoint). Default: the image's." }),
  args: z
    .array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' })
    .optional()
    .meta({ description: "Container arguments. Default: the image's." }),
  env: envMap
    .default({})
    .meta({ description: 'Environment variables for every environment (environments add to and override them). Default: {}.' }),
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }).meta({
    description:
      'Requests and limits for every environment (environments may override them). ' +
      'Default: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } }.',
  }),
  migrate: jobCommandSchema.optional().meta({
    description:
      "Schema migrations, run in the service's image by a Job before the service's pods roll (an Argo CD Sync hook in an " +
      'early wave), in every environment; needs `database`. Default: none.',
  }),
  seed: jobCommandSchema.optional().meta({
    description:
      "Seed data for previews, run after `migrate` in the same Job, with the preview's tenant ID, e-mail domain and storage " +
      'prefix in its environment; needs `database`. Default: none.',
  }),
});
export type ServiceConfig = z.infer<typeof serviceSchema>;

/** What an environment may override for one service. */
const serviceOverrideSchema = z.strictObject({
  replicas: replicas
    .optional()
    .meta({ description: "Replicas of the service in this environment. Default: the environment's `replicas`." }),
  env: envMap.default({}).meta({
    description:
      "Environment variables of the service in this environment, added to (and overriding) the service's and the environment's " +
      '`env`. Default: {}.',
  }),
  resources: resourcesSchema.optional().meta({
    description: "Requests and limits of the service in this environment. Default: the environment's `resources`, else the service's.",
  }),
  imageTag: imageTag
    .optional()
    .meta({ description: "Image tag the service follows in this environment (dev). Default: the environment's `imageTag`." }),
  digest: digest.optional().meta({
    description:
      "Image digest to pin when the overlay has none yet. Once the overlay's `kustomization.yaml` holds a pin, `dynenv promote` " +
      'owns it and synthesis carries it forward. Required in staging and prod. Default: none.',
  }),
  autoscaling: autoscalingSchema
    .optional()
    .meta({ description: 'A HorizontalPodAutoscaler, which then owns the replica count. Default: none.' }),
});
export type ServiceOverride = z.infer<typeof serviceOverrideSchema>;

export const environmentSchema = z.strictObject({
  namespace: namespaceName
    .optional()
    .meta({ description: 'Namespace of the environment. Default: "<app>-<environment>" (preview: set per pull request).' }),
  replicas: replicas.default(1).meta({ description: 'Replicas of every service. Default: 1.' }),
  env: envMap.default({}).meta({ description: 'Environment variables added to every service, e.g. LOG_LEVEL. Default: {}.' }),
  resources: resourcesSchema
    .optional()
    .meta({ description: "Requests and limits of every service. Default: each service's `resources`." }),
  host: hostname.optional().meta({ description: 'Host of the ingress for services with `ingress: true`. Default: none (no Ingress).' }),
  imageTag: imageTag
    .optional()
    .meta({ description: 'Image tag every service follows, for environments that follow a branch (dev). Default: none.' }),
  services: z
    .record(z.string(), serviceOverrideSchema, { error: 'expected a map of service name to overrides' })
    .default({})
    .meta({ description: 'Per-service overrides, keyed by service name. Default: {}.' }),
  tls: tlsSchema.optional().meta({ description: 'TLS of the ingress host. Default: none (plain HTTP).' }),
  podSecurity: podSecuritySchema
    .default('restricted')
    .meta({ description: 'Pod Security Standard enforced on the namespace. Default: "restricted".' }),
  quota: quotaSchema.default({}).meta({ description: "The namespace's ResourceQuota. Default: per environment, smallest for previews." }),
  limitRange: limitRangeSchema
    .default({})
    .meta({ description: "The namespace's LimitRange (container defaults). Default: per environment." }),
  network: networkSchema.default({ allowEgress: [] }).meta({ description: 'Egress beyond the namespace and DNS. Default: none.' }),
  disruptionBudget: z
    .union([z.literal(false), disruptionBudgetSchema], { error: 'expected false or a map with "maxUnavailable" or "minAvailable"' })
    .optional()
    .meta({ description: 'A PodDisruptionBudget per service, or false for none. Default: prod: { maxUnavailable: 1 }; others: none.' }),
});
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

const emptyEnvironment = {
  replicas: 1,
  env: {},
  services: {},
  podSecurity: 'restricted' as const,
  quota: {},
  limitRange: {},
  network: { allowEgress: [] },
};

export const repositorySchema = z.strictObject({
  url: z
    .string({ error: 'expected a Git URL' })
    .regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, { error: 'expected a Git URL such as "https://github.com/acme/checkout.git"' })
    .meta({ description: 'Git URL Argo CD clones, e.g. "https://github.com/acme/checkout.git". Required.' }),
  github: z
    .string({ error: 'expected "owner/name"' })
    .regex(GITHUB_REPOSITORY, { error: 'expected "owner/name"' })
    .optional()
    .meta({ description: '`owner/name` on GitHub, for pull requests. Default: read from `url` when it is a GitHub URL.' }),
  branch: z
    .string({ error: 'expected a branch name' })
    .min(1)
    .default('main')
    .meta({ description: 'Branch that dev, staging and prod track and pull requests merge into. Default: "main".' }),
  path: z
    .string({ error: 'expected a folder path' })
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: 'expected a relative folder path such as "gitops" or "deploy/gitops"' })
    .refine((value) => !value.split('/').includes('..'), { error: 'expected a folder inside the repository (no "..")' })
    .default('gitops')
    .meta({ description: 'Folder of the GitOps tree inside the repository, as Argo CD reads it. Default: "gitops".' }),
});
export type RepositoryConfig = z.infer<typeof repositorySchema>;

const objectNames = (kind: string) =>
  z
    .array(objectName, { error: 'expected a list of object names' })
    .default([])
    .meta({ description: `Names of ${kind} that exist outside gitops/. Default: [].` });

/**
 * Objects the workloads refer to that exist in the cluster without being in gitops/: Secrets written by an
 * operator (External Secrets, Sealed Secrets, cert-manager) or by hand, ConfigMaps and ServiceAccounts another
 * team owns. `dynenv validate` accepts references to them in every environment (and in argocd/) instead of
 * reporting them as missing.
 */
export const externalObjectsSchema = z.strictObject({
  secrets: objectNames('Secrets'),
  configMaps: objectNames('ConfigMaps'),
  serviceAccounts: objectNames('ServiceAccounts'),
});
export type ExternalObjects = z.infer<typeof externalObjectsSchema>;

/** No external objects: every reference must be satisfied inside gitops/. */
export const NO_EXTERNAL_OBJECTS: ExternalObjects = { secrets: [], configMaps: [], serviceAccounts: [] };

export const configSchema = z
  .strictObject({
    app: dns1035Label.meta({ description: 'Application name: labels every object and prefixes the default namespaces. Required.' }),
    owner: labelValue
      .optional()
      .meta({ description: 'Team that owns the application: the `dynenv.io/owner` label of every namespace. Default: the app name.' }),
    repository: repositorySchema.optional().meta({
      description:
        'The Git repository that holds dynenv.yaml and gitops/. The Argo CD objects (gitops/argocd/) need it: without it only ' +
        'the base and the overlays are synthesized. Default: none (delivery reads the `origin` remote).',
    }),
    services: z
      .array(serviceSchema, { error: 'expected a list of services' })
      .min(1, { error: 'expected at least one service' })
      .meta({ description: 'The services of the application (at least one). Required.' }),
    environments: z
      .strictObject({
        dev: environmentSchema.default(emptyEnvironment).meta({
          description:
            'The dev environment, which follows an image tag: it needs `imageTag` (or a `services.<service>.imageTag` or ' +
            "`.digest` for each service). Default: each field's default.",
        }),
        staging: environmentSchema.default(emptyEnvironment).meta({
          description:
            'The staging environment, which runs images pinned by digest: it needs `services.<service>.digest` for each ' +
            "service. Default: each field's default.",
        }),
        prod: environmentSchema.default(emptyEnvironment).meta({
          description:
            'The prod environment, which runs images pinned by digest: it needs `services.<service>.digest` for each ' +
            "service. Default: each field's default.",
        }),
        preview: environmentSchema.default(emptyEnvironment).meta({
          description:
            'What every preview environment (one per pull request) shares; `preview` at the top level says which pull ' +
            "requests get one and how each is named. Default: each field's default.",
        }),
      })
      .default({ dev: emptyEnvironment, staging: emptyEnvironment, prod: emptyEnvironment, preview: emptyEnvironment })
      .meta({ description: "The four environments: dev, staging, prod and preview. Default: each environment's defaults." }),
    preview: previewSchema
      .default(() => previewSchema.parse({}))
      .meta({ description: 'How pull requests become preview environments. Default: see each field.' }),
    argocd: argocdSchema
      .default(() => argocdSchema.parse({}))
      .meta({ description: 'Argo CD and the plugin server. Default: see each field.' }),
    access: accessSchema
      .default(() => accessSchema.parse({}))
      .meta({ description: 'Who may do what in which environment (RBAC). Default: nobody but Argo CD.' }),
    cluster: clusterSchema
      .default(() => clusterSchema.parse({}))
      .meta({ description: 'The ingress controller and DNS that the NetworkPolicies admit. Default: ingress-nginx and kube-dns.' }),
    external: externalObjectsSchema
      .default(NO_EXTERNAL_OBJECTS)
      .meta({ description: 'Objects referred to but kept outside gitops/, for `dynenv validate`. Default: no external objects.' }),
  })
  .superRefine(checkReferences);
export type Config = z.infer<typeof configSchema>;

/** Rules that span fields: unique names, references to services, probes, and how each environment pins images. */
function checkReferences(config: z.output<z.ZodObject>, ctx: z.RefinementCtx): void {
  const { services, environments } = config as unknown as Config;
  const seen = new Map<string, number>();
  services.forEach((service, index) => {
    const first = seen.get(service.name);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['services', index, 'name'], message: `duplicate service name (also services[${first}].name)` });
    }
    seen.set(service.name, index);
    if (service.port === undefined) {
      for (const field of ['healthPath', 'ingress'] as const) {
        if (service[field]) ctx.addIssue({ code: 'custom', path: ['services', index, field], message: 'needs "port" on the same service' });
      }
    }
    for (const field of ['migrate', 'seed'] as const) {
      if (service[field] && service.database === undefined) {
        ctx.addIssue({ code: 'custom', path: ['services', index, field], message: 'needs "database" on the same service' });
      }
    }
    if (service.healthPath === undefined && service.healthCommand === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['services', index],
        message: 'needs a readiness check: set "healthPath" (with "port") or "healthCommand"',
      });
    }
  });

  const namespaces = new Map<string, string>();
  for (const envName of ENVIRONMENT_NAMES) {
    const environment = environments[envName];
    if (environment.namespace !== undefined) {
      const other = namespaces.get(environment.namespace);
      if (other) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', envName, 'namespace'],
          message: `same namespace as environments.${other}.namespace: environments must not share a namespace`,
        });
      }
      namespaces.set(environment.namespace, envName);
    }
    for (const serviceName of Object.keys(environment.services)) {
      if (!seen.has(serviceName)) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', envName, 'services', serviceName],
          message: `no service named "${serviceName}" (services are: ${[...seen.keys()].join(', ')})`,
        });
      }
    }
    for (const service of services) {
      const override = environment.services[service.name];
      const pinned = PINNED_ENVIRONMENTS.includes(envName);
      if (pinned && override?.digest === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', envName, 'services', service.name, 'digest'],
          message: `required: ${envName} runs images pinned by digest (the first pin; "dynenv promote" moves it afterwards)`,
        });
      }
      if (envName === 'dev' && override?.digest === undefined && (override?.imageTag ?? environment.imageTag) === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', 'dev'],
          message: `no image reference for service "${service.name}": set "imageTag" or "services.${service.name}.digest"`,
        });
      }
    }
  }
  checkEnvironments(config as unknown as Config, ctx);
}
