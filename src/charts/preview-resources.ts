import { Construct } from 'constructs';
import { PLACEHOLDER_VALUES, fillPattern } from '../config/preview-pattern.ts';
import type { ResolvedCluster } from '../config/resolve-cluster.ts';
import type { ResolvedPreview } from '../config/resolve-preview.ts';
import { resolveSmokeTest } from '../config/resolve-smoke-test.ts';
import { enabledServices } from '../config/resolve.ts';
import type { Config } from '../config/schema.ts';
import { PreviewDatabase } from '../constructs/preview-database.ts';
import { PreviewIdentity, previewIdentityData } from '../constructs/preview-identity.ts';
import { SmokeTestJob } from '../constructs/smoke-test-job.ts';

/** A pattern as the committed preview overlay holds it, before the ApplicationSet fills in a pull request. */
export function previewPlaceholder(pattern: string): string {
  return fillPattern(pattern, PLACEHOLDER_VALUES);
}

export interface PreviewResourcesProps {
  readonly config: Config;
  readonly preview: ResolvedPreview;
  readonly cluster: ResolvedCluster;
}

/**
 * What only a preview's workloads hold: its identity ConfigMap, a database per service that has one, and the
 * smoke test (`preview.smokeTest`; what it may reach is the fence's NetworkPolicy). The
 * database's credentials are made by a Job of the fence (PreviewFenceChart), which needs RBAC and the API server.
 */
export class PreviewResources extends Construct {
  constructor(scope: Construct, id: string, props: PreviewResourcesProps) {
    super(scope, id);
    const { config, preview, cluster } = props;
    const storageClassName = config.preview.database.storageClassName ?? cluster.storageClassName;
    new PreviewIdentity(this, 'Identity', { app: config.app, data: previewIdentityData(preview, previewPlaceholder) });
    for (const service of previewDatabases(config)) {
      new PreviewDatabase(this, `${service}-database`, {
        app: config.app,
        service,
        database: { ...config.preview.database, ...(storageClassName !== undefined && { storageClassName }) },
      });
    }
    const smokeTest = resolveSmokeTest(config);
    if (smokeTest) new SmokeTestJob(this, 'SmokeTest', { app: config.app, smokeTest });
  }
}

/** The services that get a PostgreSQL of their own in every preview. */
export function previewDatabases(config: Config): string[] {
  return enabledServices(config, 'preview')
    .filter((service) => service.database === 'postgres')
    .map((service) => service.name);
}
