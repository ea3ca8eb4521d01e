import type { Construct } from 'constructs';
import { environmentNamespace, resolveService, type ImagePin } from '../config/resolve.ts';
import type { Config, EnvironmentName } from '../config/schema.ts';
import { EnvironmentNamespace } from '../constructs/environment-namespace.ts';
import { DYNENV_LABEL } from '../constructs/labels.ts';
import { ServiceIngress } from '../constructs/service-ingress.ts';
import { WorkloadPatch } from '../constructs/workload-patch.ts';
import { type KustomizationFields, type KustomizeImage, TreeChart } from './tree-chart.ts';

export interface OverlayChartProps {
  readonly config: Config;
  /** The environment this overlay deploys. */
  readonly environment: EnvironmentName;
}

/**
 * `overlays/<environment>/`: the base put in the environment's namespace, with the environment's replicas,
 * resources and env per service, its Namespace object, its ingress, and the image pins it runs.
 */
export class OverlayChart extends TreeChart {
  readonly directory: string;
  private readonly fields: KustomizationFields;

  constructor(scope: Construct, id: string, props: OverlayChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, environment } = props;
    const settings = config.environments[environment];
    const namespace = environmentNamespace(config, environment);
    this.directory = `overlays/${environment}`;

    new EnvironmentNamespace(this, 'Namespace', { app: config.app, environment, name: namespace });
    const images: KustomizeImage[] = [];
    for (const service of config.services) {
      const resolved = resolveService(config, environment, service);
      new WorkloadPatch(this, `${service.name}-patch`, { resolved });
      if (service.ingress && settings.host !== undefined) {
        new ServiceIngress(this, `${service.name}-ingress`, { app: config.app, service: service.name, host: settings.host });
      }
      if (resolved.image) images.push(imageEntry(service.image, resolved.image));
    }
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
