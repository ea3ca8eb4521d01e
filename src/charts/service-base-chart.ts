import type { Construct } from 'constructs';
import type { ServiceConfig } from '../config/schema.ts';
import { assignConfigurationWave } from '../constructs/argocd-sync.ts';
import { ServiceWorkload } from '../constructs/service-workload.ts';
import { type KustomizationFields, TreeChart } from './tree-chart.ts';
import { userPatchFiles } from './user-patches.ts';

export interface ServiceBaseChartProps {
  /** Application name. */
  readonly app: string;
  /** The service as declared in dynenv.yaml. */
  readonly service: ServiceConfig;
  /** Text of the repository files its `files` volumes name. @default none */
  readonly files?: ReadonlyMap<string, string>;
}

/** `base/<service>/`: the service as every environment starts from it (one replica, its own env and resources). */
export class ServiceBaseChart extends TreeChart {
  readonly directory: string;
  private readonly fields: KustomizationFields;

  constructor(scope: Construct, id: string, props: ServiceBaseChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { service } = props;
    this.directory = `base/${service.name}`;
    new ServiceWorkload(this, 'Workload', { app: props.app, service, files: props.files });
    assignConfigurationWave(this);
    // The service's own patches hold in every environment, so they belong to its base.
    this.fields = { targetedPatches: userPatchFiles(service.patches, { kind: service.kind, name: service.name }) };
  }

  override kustomization(): KustomizationFields {
    return this.fields;
  }
}
