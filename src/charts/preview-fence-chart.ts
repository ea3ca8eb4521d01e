import type { Construct } from 'constructs';
import { resolveCluster } from '../config/resolve-cluster.ts';
import { environmentNamespace } from '../config/resolve.ts';
import type { Config } from '../config/schema.ts';
import { assignConfigurationWave } from '../constructs/argocd-sync.ts';
import { DatabaseCredentials } from '../constructs/database-credentials.ts';
import { DYNENV_LABEL } from '../constructs/labels.ts';
import { EnvironmentFence } from './environment-fence.ts';
import { previewDatabases } from './preview-resources.ts';
import { type KustomizationFields, TreeChart } from './tree-chart.ts';

/** The folder of the preview fence, next to the preview overlay it fences. */
export const PREVIEW_FENCE_DIRECTORY = 'overlays/preview-fence';

export interface PreviewFenceChartProps {
  readonly config: Config;
}

/**
 * `overlays/preview-fence/`: everything that fences a preview, which a pull request must not be able to change,
 * add to or escape from. Argo CD deploys it once per pull request from the protected branch (the
 * `<app>-pr-<n>-fence` Application), beside the workloads it deploys from the pull request's head (`<app>-pr-<n>`):
 * the Namespace and its Pod Security labels, quota, container defaults, RBAC, the Ingress, every NetworkPolicy,
 * and the Job that makes the database credentials (it needs a Role and the API server, which workloads must not
 * get). It holds no `../../base`: nothing of the pull request's is rendered here.
 */
export class PreviewFenceChart extends TreeChart {
  readonly directory = PREVIEW_FENCE_DIRECTORY;
  private readonly previewNamespace: string;

  constructor(scope: Construct, id: string, props: PreviewFenceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config } = props;
    this.previewNamespace = environmentNamespace(config, 'preview');
    new EnvironmentFence(this, 'Fence', { config, environment: 'preview' });
    const databases = previewDatabases(config);
    if (databases.length > 0) {
      const image = config.preview.database.credentialsImage ?? config.argocd.plugin.image;
      if (image === undefined) throw new Error('unvalidated configuration: no image for the database-credentials Job');
      new DatabaseCredentials(this, 'Credentials', { app: config.app, services: databases, image, apiServerPorts: resolveCluster(config).apiServerPorts });
    }
    assignConfigurationWave(this);
  }

  override kustomization(): KustomizationFields {
    return { namespace: this.previewNamespace, labels: { [DYNENV_LABEL.environment]: 'preview' } };
  }
}
