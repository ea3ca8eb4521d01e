import type { Construct } from 'constructs';
import type { ServiceConfig } from '../config/schema.ts';
import { assignConfigurationWave } from '../constructs/argocd-sync.ts';
import { ServiceWorkload } from '../constructs/service-workload.ts';
import { TreeChart } from './tree-chart.ts';

export interface ServiceBaseChartProps {
  /** Application name. */
  readonly app: string;
  /** The service as declared in dynenv.yaml. */
  readonly service: ServiceConfig;
}

/** `base/<service>/`: the service as every environment starts from it (one replica, its own env and resources). */
export class ServiceBaseChart extends TreeChart {
  readonly directory: string;

  constructor(scope: Construct, id: string, props: ServiceBaseChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.directory = `base/${props.service.name}`;
    new ServiceWorkload(this, 'Workload', { app: props.app, service: props.service });
    assignConfigurationWave(this);
  }
}
