import type { Construct } from 'constructs';
import { resolveCluster } from '../config/resolve-cluster.ts';
import { resolveGuardrails } from '../config/resolve-guardrails.ts';
import { resolvePreview } from '../config/resolve-preview.ts';
import { enabledServices, environmentNamespace, resolveService, type ImagePin } from '../config/resolve.ts';
import type { Config, EnvironmentName } from '../config/schema.ts';
import { assignConfigurationWave } from '../constructs/argocd-sync.ts';
import { DisruptionBudget } from '../constructs/disruption-budget.ts';
import { DYNENV_LABEL } from '../constructs/labels.ts';
import { MigrationJob } from '../constructs/migration-job.ts';
import { SeedJob } from '../constructs/seed-job.ts';
import { PREVIEW_IDENTITY_CONFIGMAP } from '../constructs/preview-identity.ts';
import { databaseSecretName } from '../constructs/preview-database.ts';
import { ServiceAutoscaler } from '../constructs/service-autoscaler.ts';
import { type EnvFromReference, WorkloadPatch } from '../constructs/workload-patch.ts';
import { EnvironmentFence } from './environment-fence.ts';
import { PreviewResources } from './preview-resources.ts';
import { type KustomizationFields, type KustomizeImage, type TargetedPatch, TreeChart } from './tree-chart.ts';
import { userPatchFiles } from './user-patches.ts';

export interface OverlayChartProps {
  readonly config: Config;
  /** The environment this overlay deploys. */
  readonly environment: EnvironmentName;
}

/**
 * `overlays/<environment>/`: the base put in the environment's namespace, with the environment's replicas,
 * resources and env per service, the image pins it runs, migrations, and the disruption budgets and autoscalers
 * it asks for. dev, staging and prod also hold their fence (EnvironmentFence: Namespace, quota, RBAC, Ingress,
 * NetworkPolicies). The preview overlay holds workloads only, because Argo CD deploys it at each pull request's
 * head: its fence is `overlays/preview-fence` (PreviewFenceChart), deployed from the protected branch; it adds the
 * preview's database and identity.
 */
export class OverlayChart extends TreeChart {
  readonly directory: string;
  private readonly fields: KustomizationFields;

  constructor(scope: Construct, id: string, props: OverlayChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, environment } = props;
    const settings = config.environments[environment];
    const guardrails = resolveGuardrails(config, environment);
    const namespace = environmentNamespace(config, environment);
    const preview = environment === 'preview' ? resolvePreview(config) : undefined;
    this.directory = `overlays/${environment}`;

    if (!preview) new EnvironmentFence(this, 'Fence', { config, environment });
    const images: KustomizeImage[] = [];
    const patches: TargetedPatch[] = [];
    const services = enabledServices(config, environment);
    for (const service of services) {
      const resolved = resolveService(config, environment, service);
      const ownPatches = settings.services[service.name]?.patches ?? [];
      patches.push(...userPatchFiles(ownPatches, { kind: service.kind, name: service.name }, patches.length + 1));
      const autoscaling = settings.services[service.name]?.autoscaling;
      const envFrom: EnvFromReference[] = [
        ...(service.database ? [{ kind: 'Secret' as const, name: databaseSecretName(service.name) }] : []),
        ...(preview ? [{ kind: 'ConfigMap' as const, name: PREVIEW_IDENTITY_CONFIGMAP }] : []),
      ];
      new WorkloadPatch(this, `${service.name}-patch`, { app: config.app, resolved, autoscaled: autoscaling !== undefined, envFrom });
      const budget = guardrails.disruptionBudget;
      const replicated = autoscaling ? autoscaling.maxReplicas > 1 : resolved.replicas > 1;
      if (budget && service.kind !== 'CronJob' && (budget.services === 'every' || replicated)) {
        new DisruptionBudget(this, `${service.name}-pdb`, { app: config.app, service: service.name, budget: budget.budget });
      }
      if (autoscaling && service.kind !== 'CronJob') {
        new ServiceAutoscaler(this, `${service.name}-hpa`, { app: config.app, service: service.name, kind: service.kind, autoscaling });
      }
      const job = {
        app: config.app,
        service: service.name,
        image: resolved.image.reference,
        resources: resolved.resources,
        envFrom: envFrom.map((source) => (source.kind === 'Secret' ? { secretRef: { name: source.name } } : { configMapRef: { name: source.name } })),
      };
      if (service.migrate) new MigrationJob(this, `${service.name}-migrate`, { ...job, migrate: service.migrate });
      // Seed data only in previews, and once each (a plain Job).
      if (preview && service.seed) new SeedJob(this, `${service.name}-seed`, { ...job, seed: service.seed });
      if (resolved.pin) images.push(imageEntry(resolved.image.repository, resolved.pin));
    }
    if (preview) new PreviewResources(this, 'Preview', { config, preview, cluster: resolveCluster(config) });
    assignConfigurationWave(this);

    this.fields = {
      namespace,
      // Each service's base folder, so that a service switched off here (enabled: false) is simply not listed.
      resources: services.map((service) => `../../base/${service.name}`),
      labels: { [DYNENV_LABEL.environment]: environment },
      images,
      // After every service's, the environment's own: they may target any object of the overlay.
      targetedPatches: [...patches, ...userPatchFiles(settings.patches, undefined, patches.length + 1)],
    };
  }

  override kustomization(): KustomizationFields {
    return this.fields;
  }
}

function imageEntry(name: string, pin: ImagePin): KustomizeImage {
  return 'digest' in pin ? { name, digest: pin.digest } : { name, newTag: pin.tag };
}
