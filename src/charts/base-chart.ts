import type { Construct } from 'constructs';
import type { Config } from '../config/schema.ts';
import { type KustomizationFields, TreeChart } from './tree-chart.ts';

export interface BaseChartProps {
  readonly config: Config;
}

/** `base/`: gathers the service folders; the overlays build on it. It has no objects of its own. */
export class BaseChart extends TreeChart {
  readonly directory = 'base';
  private readonly services: string[];

  constructor(scope: Construct, id: string, props: BaseChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.services = props.config.services.map((service) => service.name);
  }

  override kustomization(): KustomizationFields {
    return { resources: this.services };
  }
}
