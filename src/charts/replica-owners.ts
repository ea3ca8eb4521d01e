import { enabledServices } from '../config/resolve.ts';
import type { Config, EnvironmentName } from '../config/schema.ts';
import { ACCESS_MATRIX } from '../constructs/access-matrix.ts';
import type { IgnoredDifference } from '../constructs/ignored-differences.ts';

const REPLICAS = ['/spec/replicas'];

/**
 * The workloads whose replica count someone other than Git owns in `environment` (issue 15): every Deployment and
 * StatefulSet where developers hold the `develop` level, which may scale both (self-heal would undo it within
 * seconds), and each one a HorizontalPodAutoscaler scales.
 */
export function replicaOwners(config: Config, environment: EnvironmentName): IgnoredDifference[] {
  const services = enabledServices(config, environment);
  if (config.access.developers.length > 0 && ACCESS_MATRIX.developers[environment] === 'develop') {
    const kinds = ['Deployment', ...(services.some((service) => service.kind === 'StatefulSet') ? ['StatefulSet'] : [])];
    return kinds.map((kind) => ({ group: 'apps', kind, jsonPointers: REPLICAS }));
  }
  const settings = config.environments[environment].services;
  return services
    .filter((service) => service.kind !== 'CronJob' && settings[service.name]?.autoscaling !== undefined)
    .map((service) => ({ group: 'apps', kind: service.kind, name: service.name, jsonPointers: REPLICAS }));
}
