/**
 * Rules that span fields of `dynenv.yaml`: unique service names and namespaces, references to services, and
 * how each environment pins images. They run on the typed result of the schema's shape (config-schema.ts).
 */
import type { z } from 'zod';
import { ENVIRONMENT_NAMES, PINNED_ENVIRONMENTS } from './environment-names.ts';
import { resolveImage } from './image-reference.ts';
import type { Config } from './schema.ts';
import { checkService } from './service-checks.ts';
import { closestMatch } from '../../contract/suggest.ts';

/** Rules that span fields: unique names, references to services, probes, and how each environment pins images. */
export function checkReferences(config: Config, ctx: z.RefinementCtx): void {
  const { services, environments } = config;
  const seen = new Map<string, number>();
  services.forEach((service, index) => {
    const first = seen.get(service.name);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['services', index, 'name'], message: `duplicate service name: another service is named "${service.name}" too` });
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
        const suggestion = closestMatch(serviceName, seen.keys());
        ctx.addIssue({
          code: 'custom',
          path: ['environments', envName, 'services', serviceName],
          message: suggestion
            ? `no service named "${serviceName}" (did you mean "${suggestion}"?)`
            : `no service named "${serviceName}" (services are: ${[...seen.keys()].join(', ')})`,
          ...(suggestion !== undefined && { params: { didYouMean: suggestion } }),
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
}
