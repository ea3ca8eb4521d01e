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
  /** Container command. Required. */
  command: z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' }).min(1),
  /** Container arguments. @default none */
  args: z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' }).optional(),
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
  /** Name of the Deployment, Service, ServiceAccount and container. Required. */
  name: dns1035Label,
  /** Image repository without tag or digest; each environment pins the tag or digest. Required. */
  image: imageRepository,
  /** Container port served over HTTP; a Service is created only when set. @default none (no Service) */
  port: port.optional(),
  /** HTTP path of the readiness, liveness and startup probes; needs `port`. @default none */
  healthPath: httpPath.optional(),
  /** Probe command for a service without a port (a worker). @default none */
  healthCommand: z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' }).min(1).optional(),
  /** Expose the service through the environment's ingress host; needs `port`. @default false */
  ingress: z.boolean({ error: 'expected true or false' }).default(false),
  /** The service needs a database of this engine (a preview gets its own). @default none */
  database: z.enum(['postgres'], { error: 'expected "postgres"' }).optional(),
  /** Container command (entrypoint). @default the image's */
  command: z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' }).optional(),
  /** Container arguments. @default the image's */
  args: z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' }).optional(),
  /** Environment variables for every environment (environments add to and override them). @default {} */
  env: envMap.default({}),
  /** Requests and limits for every environment (environments may override them). */
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }),
  /**
   * Schema migrations, run in the service's image by a Job before the service's pods roll (an Argo CD Sync hook
   * in an early wave), in every environment; needs `database`. @default none
   */
  migrate: jobCommandSchema.optional(),
  /**
   * Seed data for previews, run after `migrate` in the same Job, with the preview's tenant ID, e-mail domain
   * and storage prefix in its environment; needs `database`. @default none
   */
  seed: jobCommandSchema.optional(),
});
export type ServiceConfig = z.infer<typeof serviceSchema>;

/** What an environment may override for one service. */
const serviceOverrideSchema = z.strictObject({
  /** @default the environment's `replicas` */
  replicas: replicas.optional(),
  /** Added to (and overriding) the service's and the environment's env. @default {} */
  env: envMap.default({}),
  /** @default the environment's `resources`, else the service's */
  resources: resourcesSchema.optional(),
  /** Image tag this environment follows (dev). @default the environment's `imageTag` */
  imageTag: imageTag.optional(),
  /**
   * Image digest to pin when the overlay has none yet. Once the overlay's `kustomization.yaml` holds a pin,
   * `dynenv promote` owns it and synthesis carries it forward. Required in staging and prod.
   * @default none
   */
  digest: digest.optional(),
  /** A HorizontalPodAutoscaler, which then owns the replica count. @default none */
  autoscaling: autoscalingSchema.optional(),
});
export type ServiceOverride = z.infer<typeof serviceOverrideSchema>;

export const environmentSchema = z.strictObject({
  /** Namespace of the environment. @default "<app>-<environment>" (preview: set per pull request) */
  namespace: namespaceName.optional(),
  /** Replicas of every service. @default 1 */
  replicas: replicas.default(1),
  /** Environment variables added to every service, e.g. LOG_LEVEL. @default {} */
  env: envMap.default({}),
  /** Requests and limits of every service. @default each service's `resources` */
  resources: resourcesSchema.optional(),
  /** Host of the ingress for services with `ingress: true`. @default none (no Ingress) */
  host: hostname.optional(),
  /** Image tag every service follows, for environments that follow a branch (dev). @default none */
  imageTag: imageTag.optional(),
  /** Per-service overrides, keyed by service name. @default {} */
  services: z.record(z.string(), serviceOverrideSchema, { error: 'expected a map of service name to overrides' }).default({}),
  /** TLS of the ingress host. @default none (plain HTTP) */
  tls: tlsSchema.optional(),
  /** Pod Security Standard enforced on the namespace. @default "restricted" */
  podSecurity: podSecuritySchema.default('restricted'),
  /** The namespace's ResourceQuota. @default per environment, smallest for previews */
  quota: quotaSchema.default({}),
  /** The namespace's LimitRange (container defaults). @default per environment */
  limitRange: limitRangeSchema.default({}),
  /** Egress beyond the namespace and DNS. @default none */
  network: networkSchema.default({ allowEgress: [] }),
  /** A PodDisruptionBudget per service, or false for none. @default prod: { maxUnavailable: 1 }; others: none */
  disruptionBudget: z
    .union([z.literal(false), disruptionBudgetSchema], { error: 'expected false or a map with "maxUnavailable" or "minAvailable"' })
    .optional(),
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
  /** Git URL Argo CD clones, e.g. "https://github.com/acme/checkout.git". Required. */
  url: z
    .string({ error: 'expected a Git URL' })
    .regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, { error: 'expected a Git URL such as "https://github.com/acme/checkout.git"' }),
  /** `owner/name` on GitHub, for pull requests. @default read from `url` when it is a GitHub URL */
  github: z.string({ error: 'expected "owner/name"' }).regex(GITHUB_REPOSITORY, { error: 'expected "owner/name"' }).optional(),
  /** Branch that dev, staging and prod track and pull requests merge into. @default "main" */
  branch: z.string({ error: 'expected a branch name' }).min(1).default('main'),
  /** Folder of the GitOps tree inside the repository, as Argo CD reads it. @default "gitops" */
  path: z
    .string({ error: 'expected a folder path' })
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: 'expected a relative folder path such as "gitops" or "deploy/gitops"' })
    .refine((value) => !value.split('/').includes('..'), { error: 'expected a folder inside the repository (no "..")' })
    .default('gitops'),
});
export type RepositoryConfig = z.infer<typeof repositorySchema>;

const objectNames = z.array(objectName, { error: 'expected a list of object names' }).default([]);

/**
 * Objects the workloads refer to that exist in the cluster without being in gitops/: Secrets written by an
 * operator (External Secrets, Sealed Secrets, cert-manager) or by hand, ConfigMaps and ServiceAccounts another
 * team owns. `dynenv validate` accepts references to them in every environment (and in argocd/) instead of
 * reporting them as missing.
 */
export const externalObjectsSchema = z.strictObject({
  /** Names of Secrets that exist outside gitops/. @default [] */
  secrets: objectNames,
  /** Names of ConfigMaps that exist outside gitops/. @default [] */
  configMaps: objectNames,
  /** Names of ServiceAccounts that exist outside gitops/. @default [] */
  serviceAccounts: objectNames,
});
export type ExternalObjects = z.infer<typeof externalObjectsSchema>;

/** No external objects: every reference must be satisfied inside gitops/. */
export const NO_EXTERNAL_OBJECTS: ExternalObjects = { secrets: [], configMaps: [], serviceAccounts: [] };

export const configSchema = z
  .strictObject({
    /** Application name: labels every object and prefixes the default namespaces. Required. */
    app: dns1035Label,
    /** Team that owns the application: the `dynenv.io/owner` label of every namespace. @default the app name */
    owner: labelValue.optional(),
    /**
     * The Git repository that holds dynenv.yaml and gitops/. The Argo CD objects (gitops/argocd/) need it: without
     * it only the base and the overlays are synthesized. @default none (delivery reads the `origin` remote)
     */
    repository: repositorySchema.optional(),
    /** The services of the application (at least one). Required. */
    services: z.array(serviceSchema, { error: 'expected a list of services' }).min(1, { error: 'expected at least one service' }),
    /** The four environments; each may be left out to take the defaults. */
    environments: z
      .strictObject({
        dev: environmentSchema.default(emptyEnvironment),
        staging: environmentSchema.default(emptyEnvironment),
        prod: environmentSchema.default(emptyEnvironment),
        preview: environmentSchema.default(emptyEnvironment),
      })
      .default({ dev: emptyEnvironment, staging: emptyEnvironment, prod: emptyEnvironment, preview: emptyEnvironment }),
    /** How pull requests become preview environments. @default see each field */
    preview: previewSchema.default(() => previewSchema.parse({})),
    /** Argo CD and the plugin server. @default see each field */
    argocd: argocdSchema.default(() => argocdSchema.parse({})),
    /** Who may do what in which environment (RBAC). @default nobody but Argo CD */
    access: accessSchema.default(() => accessSchema.parse({})),
    /** The ingress controller and DNS that the NetworkPolicies admit. @default ingress-nginx and kube-dns */
    cluster: clusterSchema.default(() => clusterSchema.parse({})),
    /** Objects referred to but kept outside gitops/, for `dynenv validate`. @default no external objects */
    external: externalObjectsSchema.default(NO_EXTERNAL_OBJECTS),
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
