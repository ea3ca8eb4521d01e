import type { Construct } from 'constructs';
import { resolveCluster } from '../config/resolve-cluster.ts';
import { resolvePreview } from '../config/resolve-preview.ts';
import { enabledServices, environmentNamespace } from '../config/resolve.ts';
import type { Config, EnvironmentName, ServiceConfig } from '../config/schema.ts';
import { assignConfigurationWave } from '../constructs/argocd-sync.ts';
import { DYNENV_LABEL } from '../constructs/labels.ts';
import { EnvironmentFence } from './environment-fence.ts';
import { PreviewResources } from './preview-resources.ts';
import { ServiceOverlay } from './service-overlay.ts';
import { type KustomizationFields, type TargetedPatch, TreeChart } from './tree-chart.ts';
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
    const preview = environment === 'preview' ? resolvePreview(config) : undefined;
    const services = enabledServices(config, environment);
    this.directory = `overlays/${environment}`;

    if (!preview) new EnvironmentFence(this, 'Fence', { config, environment });
    const overlays = services.map((service) => new ServiceOverlay(this, service.name, { config, environment, service, preview: preview !== undefined }));
    if (preview) new PreviewResources(this, 'Preview', { config, preview, cluster: resolveCluster(config) });
    assignConfigurationWave(this);

    this.fields = {
      namespace: environmentNamespace(config, environment),
      // Each service's base folder, so that a service switched off here (enabled: false) is simply not listed.
      resources: services.map((service) => `../../base/${service.name}`),
      labels: { [DYNENV_LABEL.environment]: environment },
      images: overlays.flatMap((overlay) => (overlay.image ? [overlay.image] : [])),
      targetedPatches: userPatches(config, environment, services),
    };
  }

  override kustomization(): KustomizationFields {
    return this.fields;
  }
}

/**
 * The user's patches of the overlay (the escape hatch), numbered in order: each service's, in the order of the
 * services, then the environment's own, after every service's because they may target any object of the overlay.
 */
function userPatches(config: Config, environment: EnvironmentName, services: readonly ServiceConfig[]): TargetedPatch[] {
  const settings = config.environments[environment];
  const patches: TargetedPatch[] = [];
  for (const service of services) {
    patches.push(...userPatchFiles(settings.services[service.name]?.patches ?? [], { kind: service.kind, name: service.name }, patches.length + 1));
  }
  return [...patches, ...userPatchFiles(settings.patches, undefined, patches.length + 1)];
}
