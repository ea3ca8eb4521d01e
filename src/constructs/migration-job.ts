import { Construct } from 'constructs';
import type { JobCommand } from '../config/schema.ts';
import { SYNC_WAVES, syncHook } from './argocd-sync.ts';
import { type ServiceJobProps, serviceJob } from './service-job.ts';

export interface MigrationJobProps extends ServiceJobProps {
  /** Schema migrations. */
  readonly migrate: JobCommand;
}

/** The Job's name. */
export function migrationJobName(service: string): string {
  return `${service}-migrate`;
}

/**
 * A service's schema migrations: a Sync hook in the wave after the database and the services' configuration, so
 * Argo CD runs it on every full sync (each new commit) and rolls the services only once it succeeded. Migrations
 * must therefore converge when run again, and the hook says so (dynenv.io/idempotent).
 */
export class MigrationJob extends Construct {
  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    serviceJob(this, {
      ...props,
      name: migrationJobName(props.service),
      step: 'migrate',
      component: 'migration',
      command: props.migrate,
      annotations: syncHook(SYNC_WAVES.migration, { idempotent: true }),
    });
  }
}
