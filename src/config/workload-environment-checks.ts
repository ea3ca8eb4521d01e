/**
 * Rules that tie a service's workload to the environments and the other services: the Pod Security level each
 * environment enforces, what an environment may override for a kind, and which repository an init container's
 * built image belongs to.
 */
import type { z } from 'zod';
import { ENVIRONMENT_NAMES } from './environment-names.ts';
import { resolveImage } from './image-reference.ts';
import { admits, elevatedSettings } from './pod-security-level.ts';
import type { Config } from './schema.ts';

type Issue = { path: (string | number)[]; message: string };

export function checkWorkloadEnvironments(config: Config, ctx: z.RefinementCtx): void {
  for (const issue of [...podSecurityRules(config), ...overrideRules(config), ...initImageRules(config)]) ctx.addIssue({ code: 'custom', ...issue });
}

/** Pod Security is never weakened silently: a setting above an environment's level names the level that admits it. */
function podSecurityRules(config: Config): Issue[] {
  const issues: Issue[] = [];
  config.services.forEach((service, index) => {
    for (const setting of elevatedSettings(service)) {
      for (const envName of ENVIRONMENT_NAMES) {
        const level = config.environments[envName].podSecurity;
        if (config.environments[envName].services[service.name]?.enabled === false || admits(level, setting.level)) continue;
        issues.push({
          path: ['services', index, ...setting.path],
          message:
            `${service.name} ${setting.what}, which Pod Security "${level}" refuses in ${envName}: set ` +
            `environments.${envName}.podSecurity: ${setting.level} to admit it, or remove the setting`,
        });
      }
    }
  });
  return issues;
}

function overrideRules(config: Config): Issue[] {
  const issues: Issue[] = [];
  for (const envName of ENVIRONMENT_NAMES) {
    for (const service of config.services) {
      const override = config.environments[envName].services[service.name];
      if (!override) continue;
      const at = ['environments', envName, 'services', service.name];
      const persistent = service.volumes.filter((volume) => volume.persistent).map((volume) => volume.name);
      for (const volume of Object.keys(override.storage)) {
        if (!persistent.includes(volume)) {
          issues.push({
            path: [...at, 'storage', volume],
            message: `no persistent volume named "${volume}" on ${service.name} (${persistent.length ? `persistent volumes: ${persistent.join(', ')}` : 'it has none'})`,
          });
        }
      }
      const cronJob = service.kind === 'CronJob';
      for (const field of ['schedule', 'suspend'] as const) {
        if (override[field] !== undefined && !cronJob) issues.push({ path: [...at, field], message: `${service.name} is a ${service.kind}, not a CronJob` });
      }
      for (const field of ['replicas', 'autoscaling'] as const) {
        if (override[field] !== undefined && cronJob)
          issues.push({ path: [...at, field], message: `${service.name} is a CronJob: one pod per run, nothing to scale` });
      }
    }
  }
  return issues;
}

/** A built image of an init container is pinned with the service whose image it is, so it must be one. */
function initImageRules(config: Config): Issue[] {
  const built = new Set(
    config.services
      .map((service) => resolveImage(service.image, service.builtHere))
      .filter((image) => image.builtHere)
      .map((image) => image.repository),
  );
  const issues: Issue[] = [];
  config.services.forEach((service, index) => {
    service.initContainers.forEach((container, containerIndex) => {
      const image = resolveImage(container.image, container.builtHere);
      if (image.builtHere && image.tag === undefined && !built.has(image.repository)) {
        issues.push({
          path: ['services', index, 'initContainers', containerIndex, 'image'],
          message:
            `${image.repository} is no service's image, so no environment pins it: use the image of a service this repository ` +
            'builds, or give a third-party image its tag or digest',
        });
      }
    });
  });
  return issues;
}
