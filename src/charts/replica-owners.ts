import type { Config, EnvironmentName } from '../config/schema.ts';
import { ACCESS_MATRIX } from '../constructs/access-matrix.ts';
import type { IgnoredDifference } from '../constructs/ignored-differences.ts';

const REPLICAS = ['/spec/replicas'];

/**
 * The Deployments whose replica count someone other than Git owns in `environment` (issue 15): every Deployment
 * where developers hold the `develop` level, which may scale them (self-heal would undo it within seconds), and
 * each Deployment a HorizontalPodAutoscaler scales.
 */
export function replicaOwners(config: Config, environment: EnvironmentName): IgnoredDifference[] {
  if (config.access.developers.length > 0 && ACCESS_MATRIX.developers[environment] === 'develop') {
    return [{ group: 'apps', kind: 'Deployment', jsonPointers: REPLICAS }];
  }
  const services = config.environments[environment].services;
  return config.services
    .filter((service) => services[service.name]?.autoscaling !== undefined)
    .map((service) => ({ group: 'apps', kind: 'Deployment', name: service.name, jsonPointers: REPLICAS }));
}
