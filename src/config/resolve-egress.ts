/**
 * Where an environment's pods may send traffic beyond their namespace and DNS, as address blocks and ports:
 * the environment's rules for every pod, and per service its own rules plus its external database. Named
 * destinations become the platform's metadata server or the configured database.
 */
import type { EnvironmentName } from './environment-names.ts';
import { portSpec, type EgressDestination, type EgressRule, type ExternalDatabase } from './network-schema.ts';
import type { ResolvedCluster } from './resolve-cluster.ts';
import type { Config } from './schema.ts';

export interface ResolvedEgress {
  /** Allowed to every pod of the environment. */
  readonly everyPod: readonly EgressDestination[];
  /** Allowed to one service's pods and its migration Job; only services that have some, in configuration order. */
  readonly services: ReadonlyArray<{ readonly service: string; readonly destinations: readonly EgressDestination[] }>;
}

export function resolveEgress(config: Config, envName: EnvironmentName, cluster: ResolvedCluster): ResolvedEgress {
  const environment = config.environments[envName];
  const services = config.services.flatMap((service) => {
    const override = environment.services[service.name];
    if (override?.enabled === false) return [];
    const database = envName === 'preview' ? undefined : (override?.database ?? environment.database);
    const destinations = [
      ...(override?.egress ?? []).flatMap((rule) => destinationsOf(rule, cluster, database)),
      ...(service.database !== undefined && database !== undefined ? [databaseDestination(database)] : []),
    ];
    return destinations.length > 0 ? [{ service: service.name, destinations: unique(destinations) }] : [];
  });
  return {
    everyPod: unique(environment.network.allowEgress.flatMap((rule) => destinationsOf(rule, cluster, environment.database))),
    services,
  };
}

/** The address blocks a rule stands for. Named destinations were checked to exist (network-checks.ts). */
export function destinationsOf(rule: EgressRule, cluster: ResolvedCluster, database: ExternalDatabase | undefined): EgressDestination[] {
  if (rule.to === 'metadata-server') return [...cluster.metadataServer];
  if (rule.to === 'database') return database ? [databaseDestination(database)] : [];
  return [
    {
      cidr: rule.cidr!,
      ...(rule.except.length > 0 && { except: [...rule.except] }),
      ...(rule.ports && { ports: rule.ports.map(portSpec) }),
    },
  ];
}

function databaseDestination(database: ExternalDatabase): EgressDestination {
  return { cidr: database.cidr, ports: [{ port: database.port, protocol: 'TCP' }] };
}

/** Drops repeated destinations (the same database named twice), keeping the first. */
function unique(destinations: readonly EgressDestination[]): EgressDestination[] {
  const seen = new Set<string>();
  return destinations.filter((destination) => {
    const key = JSON.stringify(destination);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
