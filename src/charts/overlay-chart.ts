import type { Construct } from 'constructs';
import { resolveCluster } from '../config/resolve-cluster.ts';
import { resolveGuardrails } from '../config/resolve-guardrails.ts';
import { resolvePreview } from '../config/resolve-preview.ts';
import { environmentNamespace, resolveService, type ImagePin } from '../config/resolve.ts';
import type { Config, EnvironmentName } from '../config/schema.ts';
import { assignConfigurationWave } from '../constructs/argocd-sync.ts';
import { DisruptionBudget } from '../constructs/disruption-budget.ts';
import { DYNENV_LABEL } from '../constructs/labels.ts';
import { MigrationJob } from '../constructs/migration-job.ts';
import { PREVIEW_IDENTITY_CONFIGMAP } from '../constructs/preview-identity.ts';
import { databaseSecretName } from '../constructs/preview-database.ts';
import { ServiceAutoscaler } from '../constructs/service-autoscaler.ts';
import { type EnvFromReference, WorkloadPatch } from '../constructs/workload-patch.ts';
import { EnvironmentFence } from './environment-fence.ts';
import { PreviewResources } from './preview-resources.ts';
import { type KustomizationFields, type KustomizeImage, TreeChart } from './tree-chart.ts';

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
    const cluster = resolveCluster(config);
    const namespace = environmentNamespace(config, environment);
    const preview = environment === 'preview' ? resolvePreview(config) : undefined;
    this.directory = `overlays/${environment}`;

    if (!preview) new EnvironmentFence(this, 'Fence', { config, environment });
    const images: KustomizeImage[] = [];
    for (const service of config.services) {
      const resolved = resolveService(config, environment, service);
      const autoscaling = settings.services[service.name]?.autoscaling;
      const envFrom: EnvFromReference[] = [
        ...(service.database ? [{ kind: 'Secret' as const, name: databaseSecretName(service.name) }] : []),
        ...(preview ? [{ kind: 'ConfigMap' as const, name: PREVIEW_IDENTITY_CONFIGMAP }] : []),
      ];
      new WorkloadPatch(this, `${service.name}-patch`, { resolved, autoscaled: autoscaling !== undefined, envFrom });
      const budget = guardrails.disruptionBudget;
      const replicated = autoscaling ? autoscaling.maxReplicas > 1 : resolved.replicas > 1;
      if (budget && (budget.services === 'every' || replicated)) {
        new DisruptionBudget(this, `${service.name}-pdb`, { app: config.app, service: service.name, budget: budget.budget });
      }
      if (autoscaling) new ServiceAutoscaler(this, `${service.name}-hpa`, { app: config.app, service: service.name, autoscaling });
      const seed = preview ? service.seed : undefined;
      if (service.migrate || seed) {
        new MigrationJob(this, `${service.name}-migrate`, {
          app: config.app,
          service: service.name,
          image: resolved.image.reference,
          migrate: service.migrate,
          seed,
          resources: resolved.resources,
          envFrom: envFrom.map((source) => (source.kind === 'Secret' ? { secretRef: { name: source.name } } : { configMapRef: { name: source.name } })),
        });
      }
      if (resolved.pin) images.push(imageEntry(resolved.image.repository, resolved.pin));
    }
    if (preview) new PreviewResources(this, 'Preview', { config, preview, cluster: resolveCluster(config) });
    assignConfigurationWave(this);

    this.fields = {
      namespace,
      resources: ['../../base'],
      labels: { [DYNENV_LABEL.environment]: environment },
      images,
    };
  }

  override kustomization(): KustomizationFields {
    return this.fields;
  }
}

function imageEntry(name: string, pin: ImagePin): KustomizeImage {
  return 'digest' in pin ? { name, digest: pin.digest } : { name, newTag: pin.tag };
}
