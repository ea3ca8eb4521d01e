/**
 * The schema of `dynenv.yaml`: one typed description of an application and its four environments.
 *
 * Every object is strict (an unknown key is an error: a typo must not be silently ignored), every default is
 * written here, and every message says what was expected so that the loader can add where and what was found:
 * `dynenv.yaml: services[1].port: expected an integer 1-65535, got "http"`.
 */
import { z } from 'zod';
import { accessSchema, argocdSchema } from './argocd-schema.ts';
import { clusterSchema } from './cluster-schema.ts';
import { checkEnvironments } from './environment-checks.ts';
import { ENVIRONMENT_NAMES, PINNED_ENVIRONMENTS, type EnvironmentName } from './environment-names.ts';
import { emptyEnvironment, environmentSchema } from './environment-schema.ts';
import { externalObjectsSchema, NO_EXTERNAL_OBJECTS } from './external-objects-schema.ts';
import { previewSchema } from './preview-schema.ts';
import { dns1035Name, labelValue } from './primitives.ts';
import { repositorySchema } from './repository-schema.ts';
import { FENCE_APPLICATION_SUFFIX } from './resolve-preview.ts';
import { DNS1123_LABEL_MAX_LENGTH, PULL_REQUEST_NUMBER_MAX_DIGITS } from '../names.ts';
import { resolveImage } from './image-reference.ts';
import { checkService } from './service-checks.ts';
import { checkWorkloadEnvironments } from './workload-environment-checks.ts';
import { serviceSchema } from './service-schema.ts';

export { GITHUB_REPOSITORY, IMAGE_DIGEST } from './primitives.ts';
export { resourcesSchema, type Resources } from './resources-schema.ts';
export { ENVIRONMENT_NAMES, PINNED_ENVIRONMENTS, type EnvironmentName };
export { serviceSchema, type JobCommand, type ServiceConfig } from './service-schema.ts';
export { environmentSchema, type EnvironmentConfig, type ServiceOverride } from './environment-schema.ts';
export { repositorySchema, type RepositoryConfig } from './repository-schema.ts';
export { externalObjectsSchema, NO_EXTERNAL_OBJECTS, type ExternalObjects } from './external-objects-schema.ts';

/** The longest name a preview Application of `app` can have: the fence of a pull request with the largest number. */
export function longestPreviewApplicationName(app: string): string {
  return `${app}-pr-${'9'.repeat(PULL_REQUEST_NUMBER_MAX_DIGITS)}${FENCE_APPLICATION_SUFFIX}`;
}

/**
 * The application's name. Its longest use is the name of a pull request's fence Application, which Argo CD also
 * writes into a label (label tracking), so it must fit 63 characters for every pull-request number GitHub can
 * give; every other name built from it is shorter.
 */
const appName = dns1035Name.superRefine((app, ctx) => {
  const longest = longestPreviewApplicationName(app);
  if (longest.length <= DNS1123_LABEL_MAX_LENGTH) return;
  ctx.addIssue({
    code: 'custom',
    message:
      `expected at most ${app.length - (longest.length - DNS1123_LABEL_MAX_LENGTH)} characters: a pull request's fence Application ` +
      `would be "${longest}" (${longest.length} characters), and Argo CD writes Application names into ${DNS1123_LABEL_MAX_LENGTH}-character labels`,
  });
});

export const configSchema = z
  .strictObject({
    app: appName.meta({
      description:
        'Application name: labels every object and prefixes the default namespaces and the preview Applications ("<app>-pr-<number>-fence" ' +
        'must fit 63 characters, so at most 43). Required.',
    }),
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
      .meta({
        description:
          'The cluster: its platform (DNS, ingress controller, StorageClass, metadata server) and what the NetworkPolicies admit. ' +
          'Default: a generic cluster (kube-dns, ingress-nginx).',
      }),
    external: externalObjectsSchema
      .default(NO_EXTERNAL_OBJECTS)
      .meta({ description: 'Objects referred to but kept outside gitops/, for `dynenv validate`. Default: no external objects.' }),
  })
  .superRefine(checkReferences);
/**
 * A parsed dynenv.yaml. `repositoryFiles` holds the text of the repository files it names (`files` volumes,
 * `include`), read by the loader next to the file; a configuration parsed from text alone has none.
 */
export type Config = z.infer<typeof configSchema> & { readonly repositoryFiles?: ReadonlyMap<string, string> };

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
    for (const issue of checkService(service)) ctx.addIssue({ code: 'custom', path: ['services', index, ...issue.path], message: issue.message });
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
      if (override?.enabled === false) continue;
      const image = resolveImage(service.image, service.builtHere);
      const at = ['environments', envName, 'services', service.name];
      if (!image.builtHere) {
        for (const field of ['digest', 'imageTag'] as const) {
          if (override?.[field] !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [...at, field],
              message:
                `${service.name} runs a third-party image as written in every environment (${service.image}): pin it in its "image" ` +
                'instead, or set builtHere: true if this repository builds it',
            });
          }
        }
        continue;
      }
      const pinned = PINNED_ENVIRONMENTS.includes(envName);
      // An image with its own tag runs that tag wherever nothing else is pinned: staging and prod until the first promotion.
      if (pinned && override?.digest === undefined && image.tag === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'digest'],
          message:
            `required: ${envName} runs images pinned by digest (the first pin; "dynenv promote" moves it afterwards), ` +
            'or give "image" a tag to run until the first promotion',
        });
      }
      if (envName === 'dev' && override?.digest === undefined && (override?.imageTag ?? environment.imageTag) === undefined && image.tag === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', 'dev'],
          message: `no image reference for service "${service.name}": set "imageTag" or "services.${service.name}.digest"`,
        });
      }
    }
  }
  checkEnvironments(config as unknown as Config, ctx);
  checkWorkloadEnvironments(config as unknown as Config, ctx);
}
