import { Construct } from 'constructs';
import { resolveGuardrails } from '../config/resolve-guardrails.ts';
import { type ImagePin, type ResolvedService, resolveService } from '../config/resolve.ts';
import type { Config, EnvironmentName, ServiceConfig } from '../config/schema.ts';
import { DisruptionBudget } from '../constructs/disruption-budget.ts';
import { runsByDigest } from '../constructs/image-pull-policy.ts';
import { MigrationJob } from '../constructs/migration-job.ts';
import { databaseSecretName } from '../constructs/preview-database.ts';
import { PREVIEW_IDENTITY_CONFIGMAP } from '../constructs/preview-identity.ts';
import { SeedJob } from '../constructs/seed-job.ts';
import { ServiceAutoscaler } from '../constructs/service-autoscaler.ts';
import type { ServiceJobProps } from '../constructs/service-job.ts';
import { type EnvFromReference, WorkloadPatch } from '../constructs/workload-patch.ts';
import type { KustomizeImage } from './tree-chart.ts';

export interface ServiceOverlayProps {
  readonly config: Config;
  /** The environment whose overlay this is. */
  readonly environment: EnvironmentName;
  /** The service, enabled in that environment. */
  readonly service: ServiceConfig;
  /** Whether the overlay is the preview's: its pods read the preview's identity, and its database is seeded. @default false */
  readonly preview?: boolean;
}

/**
 * One service's part of an overlay: the patch of its workload (replicas, resources, env, scheduling), its
 * disruption budget and autoscaler where the environment asks for them, its migration Job and, in a preview, its
 * seed Job. The image it runs in the environment is `image`, for the overlay's `images:`.
 */
export class ServiceOverlay extends Construct {
  /** The environment's pin of the service's image; undefined where the environment does not pin it. */
  readonly image: KustomizeImage | undefined;

  constructor(scope: Construct, id: string, props: ServiceOverlayProps) {
    super(scope, id);
    const { config, environment, service } = props;
    const app = config.app;
    const resolved = resolveService(config, environment, service);
    const autoscaling = config.environments[environment].services[service.name]?.autoscaling;
    const envFrom = envFromReferences(service, props.preview ?? false);

    new WorkloadPatch(this, `${service.name}-patch`, { app, resolved, autoscaled: autoscaling !== undefined, envFrom });
    const budget = resolveGuardrails(config, environment).disruptionBudget;
    if (budget && service.kind !== 'CronJob' && (budget.services === 'every' || resolved.replicated)) {
      new DisruptionBudget(this, `${service.name}-pdb`, { app, service: service.name, budget: budget.budget });
    }
    if (autoscaling && service.kind !== 'CronJob') {
      new ServiceAutoscaler(this, `${service.name}-hpa`, { app, service: service.name, kind: service.kind, autoscaling });
    }
    const job = serviceJobProps(app, service, resolved, envFrom);
    if (service.migrate) new MigrationJob(this, `${service.name}-migrate`, { ...job, migrate: service.migrate });
    // Seed data only in previews, and once each (a plain Job).
    if (props.preview && service.seed) new SeedJob(this, `${service.name}-seed`, { ...job, seed: service.seed });
    this.image = resolved.pin ? imageEntry(resolved.image.repository, resolved.pin) : undefined;
  }
}

/** What the service's containers read their environment from besides their own ConfigMap. */
function envFromReferences(service: ServiceConfig, preview: boolean): EnvFromReference[] {
  return [
    ...(service.database ? [{ kind: 'Secret' as const, name: databaseSecretName(service.name) }] : []),
    ...(preview ? [{ kind: 'ConfigMap' as const, name: PREVIEW_IDENTITY_CONFIGMAP }] : []),
  ];
}

/** What the service's Jobs (migration, seed) share with its workload: image, resources and environment. */
function serviceJobProps(app: string, service: ServiceConfig, resolved: ResolvedService, envFrom: readonly EnvFromReference[]): ServiceJobProps {
  return {
    app,
    service: service.name,
    image: resolved.image.reference,
    resources: resolved.resources,
    pinnedByDigest: runsByDigest(resolved.image, resolved.pin),
    envFrom: envFrom.map((source) => (source.kind === 'Secret' ? { secretRef: { name: source.name } } : { configMapRef: { name: source.name } })),
  };
}

function imageEntry(name: string, pin: ImagePin): KustomizeImage {
  return 'digest' in pin ? { name, digest: pin.digest } : { name, newTag: pin.tag };
}
