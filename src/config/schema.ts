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
import { ENVIRONMENT_NAMES, PINNED_ENVIRONMENTS, type EnvironmentName } from './environment-names.ts';
import { emptyEnvironment, environmentSchema } from './environment-schema.ts';
import { externalObjectsSchema, NO_EXTERNAL_OBJECTS } from './external-objects-schema.ts';
import { previewSchema } from './preview-schema.ts';
import { dns1035Name, labelValue } from './primitives.ts';
import { repositorySchema } from './repository-schema.ts';
import { DNS1123_LABEL_MAX_LENGTH, FENCE_APPLICATION_SUFFIX, PULL_REQUEST_NUMBER_MAX_DIGITS } from '../../contract/names.ts';
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

export const configShape = z.strictObject({
  app: appName.meta({
    description:
      'Application name: labels every object and prefixes the default namespaces and the preview Applications ("<app>-pr-<number>-fence" ' +
      'must fit 63 characters, so at most 43). Required.',
  }),
  owner: labelValue.optional().meta({ description: 'Team that owns the application: the `dynenv.io/owner` label of every namespace. Default: the app name.' }),
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
  argocd: argocdSchema.default(() => argocdSchema.parse({})).meta({ description: 'Argo CD and the plugin server. Default: see each field.' }),
  access: accessSchema.default(() => accessSchema.parse({})).meta({ description: 'Who may do what in which environment (RBAC). Default: nobody but Argo CD.' }),
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
});
/**
 * A parsed dynenv.yaml. `repositoryFiles` holds the text of the repository files it names (`files` volumes,
 * `include`), read by the loader next to the file; a configuration parsed from text alone has none. The rules
 * across fields are checked in config-schema.ts.
 */
export type Config = z.infer<typeof configShape> & { readonly repositoryFiles?: ReadonlyMap<string, string> };
