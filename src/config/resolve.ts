/**
 * What one service looks like in one environment, once the service's own settings, the environment's and the
 * per-service overrides are layered (most specific wins). The charts read only these resolved values.
 */
import type { EnvValue } from './env-schema.ts';
import { resolveImage, type ResolvedImage } from './image-reference.ts';
import { resolveCluster } from './resolve-cluster.ts';
import type { SchedulingConfig } from './scheduling-schema.ts';
import type { Config, EnvironmentName, Resources, ServiceConfig } from './schema.ts';

/** A persistent volume of a StatefulSet as an environment claims it. */
export interface ResolvedStorage {
  readonly size: string;
  readonly accessModes: readonly string[];
  readonly storageClass?: string;
}

/** The image reference an environment pins in its overlay (kustomize `images:` entry). */
export type ImagePin = { readonly tag: string } | { readonly digest: string };

export interface ResolvedService {
  readonly service: ServiceConfig;
  readonly replicas: number;
  /** Service env, then environment env, then the per-service override; sorted by name for stable output. */
  readonly env: Readonly<Record<string, EnvValue>>;
  readonly resources: Resources;
  /** The image and whether this repository builds it. */
  readonly image: ResolvedImage;
  /**
   * What the overlay pins for an image this repository builds; undefined when it pins nothing: a third-party image,
   * an image whose own tag runs here (not promoted yet), or a preview (the ApplicationSet sets each pull request's).
   */
  readonly pin: ImagePin | undefined;
  /** false: the environment leaves the service out. */
  readonly enabled: boolean;
  /** Service, then environment, then per-service override, field by field; undefined fields are not set. */
  readonly scheduling: SchedulingConfig;
  /** The persistent volumes, by name, with this environment's size and StorageClass. */
  readonly storage: Readonly<Record<string, ResolvedStorage>>;
  /** A CronJob's schedule here (undefined for other kinds). */
  readonly schedule?: string;
  /** A CronJob suspended here. */
  readonly suspend: boolean;
}

/** Layers the settings of `service` in environment `envName`. */
export function resolveService(config: Config, envName: EnvironmentName, service: ServiceConfig): ResolvedService {
  const environment = config.environments[envName];
  const override = environment.services[service.name];
  const tag = override?.imageTag ?? environment.imageTag;
  const image = resolveImage(service.image, service.builtHere);
  return {
    service,
    replicas: override?.replicas ?? environment.replicas,
    env: sortKeys({ ...service.env, ...environment.env, ...override?.env }),
    resources: override?.resources ?? environment.resources ?? service.resources,
    image,
    pin: !image.builtHere ? undefined : override?.digest ? { digest: override.digest } : tag ? { tag } : undefined,
    enabled: override?.enabled ?? true,
    scheduling: { ...defined(service.scheduling ?? {}), ...defined(environment.scheduling ?? {}), ...defined(override?.scheduling ?? {}) },
    storage: Object.fromEntries(
      service.volumes.flatMap((volume) => {
        if (!volume.persistent) return [];
        const own = override?.storage[volume.name];
        const storageClass = own?.storageClass ?? environment.storageClass ?? volume.persistent.storageClass ?? resolveCluster(config).storageClassName;
        const size = own?.size ?? volume.persistent.size;
        return [[volume.name, { size, accessModes: volume.persistent.accessModes, ...(storageClass !== undefined && { storageClass }) }]];
      }),
    ),
    ...(service.kind === 'CronJob' && { schedule: override?.schedule ?? service.schedule }),
    suspend: override?.suspend ?? false,
  };
}

/** The services an environment runs (those it does not switch off), in configuration order. */
export function enabledServices(config: Config, envName: EnvironmentName): ServiceConfig[] {
  return config.services.filter((service) => config.environments[envName].services[service.name]?.enabled !== false);
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/** The namespace of an environment: configured, or `<app>-<environment>`. */
export function environmentNamespace(config: Config, envName: EnvironmentName): string {
  return config.environments[envName].namespace ?? `${config.app}-${envName}`;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
