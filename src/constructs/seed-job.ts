import { Construct } from 'constructs';
import type { JobCommand } from '../config/schema.ts';
import { SYNC_WAVES, runOnce } from './argocd-sync.ts';
import { type ServiceJobProps, serviceJob } from './service-job.ts';

export interface SeedJobProps extends ServiceJobProps {
  /** Seed data. */
  readonly seed: JobCommand;
}

/** The Job's name. */
export function seedJobName(service: string): string {
  return `${service}-seed`;
}

/**
 * A preview's seed data, written once: a plain Job (no hook) in the wave after the migrations. Argo CD creates it
 * on the preview's first sync and waits for it before the services roll; the preview Application ignores Jobs'
 * spec (RUN_ONCE_JOBS), so later commits neither update nor re-run it, and self-heal syncs leave it alone. A
 * failed seed stays failed (the sync with it) until the Job is deleted, which runs it again with the current commit.
 */
export class SeedJob extends Construct {
  constructor(scope: Construct, id: string, props: SeedJobProps) {
    super(scope, id);
    serviceJob(this, {
      ...props,
      name: seedJobName(props.service),
      step: 'seed',
      component: 'seed',
      command: props.seed,
      annotations: runOnce(SYNC_WAVES.seed),
    });
  }
}
