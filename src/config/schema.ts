/**
 * The schema of `dynenv.yaml`: one typed description of an application and its four environments.
 *
 * Every object is strict (an unknown key is an error: a typo must not be silently ignored), every default is
 * written here, and every message says what was expected so that the loader can add where and what was found:
 * `dynenv.yaml: services[1].port: expected an integer 1-65535, got "http"`.
 */
import { z } from 'zod';
import { DNS1123_LABEL_MAX_LENGTH } from '../names.ts';

/** The environments dynenv manages, in promotion order (preview sits beside dev: one per pull request). */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod', 'preview'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Environments whose images must be pinned by digest, so promotion moves a digest staging already ran. */
export const PINNED_ENVIRONMENTS: readonly EnvironmentName[] = ['staging', 'prod'];

// A Service name must be a DNS-1035 label (it becomes a DNS name inside the cluster): it starts with a letter.
const dns1035Label = z
  .string({ error: 'expected a name' })
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, {
    error: 'expected a lower-case name of letters, digits and "-", starting with a letter',
  })
  .max(40, { error: 'expected at most 40 characters (object names get suffixes such as "-config")' });

const namespaceName = z
  .string({ error: 'expected a namespace name' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: 'expected a DNS-1123 label (lower-case letters, digits and "-", starting and ending alphanumeric)',
  })
  .max(DNS1123_LABEL_MAX_LENGTH, { error: `expected at most ${DNS1123_LABEL_MAX_LENGTH} characters` });

const portMessage = 'expected an integer 1-65535';
const port = z.int({ error: portMessage }).min(1, { error: portMessage }).max(65535, { error: portMessage });

const replicasMessage = 'expected an integer 0-1000';
const replicas = z
  .int({ error: replicasMessage })
  .min(0, { error: replicasMessage })
  .max(1000, { error: replicasMessage });

// registry[:port]/path without a tag or digest: those come from the environment (kustomize `images:`).
const imageRepository = z.string({ error: 'expected an image repository' }).regex(
  /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)+$/,
  { error: 'expected an image repository without tag or digest, such as "ghcr.io/acme/api"' },
);

/** An OCI image digest: `sha256:` and 64 lower-case hex digits. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
const digest = z
  .string({ error: 'expected an image digest' })
  .regex(IMAGE_DIGEST, { error: 'expected an image digest "sha256:" followed by 64 lower-case hex digits' });

const imageTag = z
  .string({ error: 'expected an image tag' })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'expected an image tag (letters, digits, "_", ".", "-")' });

const httpPath = z.string({ error: 'expected a path' }).regex(/^\/[^\s]*$/, { error: 'expected a path starting with "/"' });

const hostname = z
  .string({ error: 'expected a host name' })
  .regex(/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
    error: 'expected a lower-case DNS host name such as "checkout.example.com"',
  });

const cpuQuantity = z
  .string({ error: 'expected a CPU quantity such as "250m" or "1"' })
  .regex(/^([0-9]+m|[0-9]+(\.[0-9]{1,3})?)$/, { error: 'expected a CPU quantity such as "250m" or "1"' });

const memoryQuantity = z
  .string({ error: 'expected a memory quantity such as "256Mi" or "1Gi"' })
  .regex(/^[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?$/, { error: 'expected a memory quantity such as "256Mi" or "1Gi"' });

const resourceAmounts = z.strictObject({
  /** CPU, e.g. "100m". @default none */
  cpu: cpuQuantity.optional(),
  /** Memory, e.g. "128Mi". @default none */
  memory: memoryQuantity.optional(),
});

/** Container requests and limits. No CPU limit by default: CPU limits throttle, a memory limit protects the node. */
export const resourcesSchema = z.strictObject({
  /** @default { cpu: "100m", memory: "128Mi" } */
  requests: resourceAmounts.default({ cpu: '100m', memory: '128Mi' }),
  /** @default { memory: "256Mi" } */
  limits: resourceAmounts.default({ memory: '256Mi' }),
});
export type Resources = z.infer<typeof resourcesSchema>;

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
});
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

const emptyEnvironment = { replicas: 1, env: {}, services: {} };

/** `owner/name` of a GitHub repository. */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

export const repositorySchema = z.strictObject({
  /** Git URL Argo CD clones, e.g. "https://github.com/acme/checkout.git". Required. */
  url: z
    .string({ error: 'expected a Git URL' })
    .regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, { error: 'expected a Git URL such as "https://github.com/acme/checkout.git"' }),
  /** `owner/name` on GitHub, for pull requests. @default read from `url` when it is a GitHub URL */
  github: z.string({ error: 'expected "owner/name"' }).regex(GITHUB_REPOSITORY, { error: 'expected "owner/name"' }).optional(),
  /** Branch that dev, staging and prod track and pull requests merge into. @default "main" */
  branch: z.string({ error: 'expected a branch name' }).min(1).default('main'),
});
export type RepositoryConfig = z.infer<typeof repositorySchema>;

// Secret, ConfigMap and ServiceAccount names are DNS-1123 subdomains: lower-case, digits, "-" and ".".
const objectName = z
  .string({ error: 'expected an object name' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: 'expected a Kubernetes object name (lower-case letters, digits, "-" and ".", starting and ending alphanumeric)',
  })
  .max(253, { error: 'expected at most 253 characters' });
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
    /** The Git repository that holds dynenv.yaml and gitops/. @default none (delivery reads the `origin` remote) */
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
}
