/** Which controller runs a service, and what a CronJob needs besides the pod. */
import { z } from 'zod';
import { count } from './primitives.ts';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'CronJob'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export const workloadKindSchema = z
  .enum(WORKLOAD_KINDS, { error: 'expected "Deployment", "StatefulSet" or "CronJob"' })
  .default('Deployment')
  .meta({
    description:
      'Deployment (interchangeable pods), StatefulSet (pods with an identity and persistent volumes, behind a headless Service) ' +
      'or CronJob (runs to completion on `schedule`). Default: "Deployment".',
  });

// Five fields (minute hour day-of-month month day-of-week) or a macro, as the CronJob controller reads them.
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/;
export const scheduleSchema = z
  .string({ error: 'expected a cron schedule such as "0 3 * * *"' })
  .regex(CRON, { error: 'expected a cron schedule of five fields ("0 3 * * *") or a macro such as "@daily"' });

export const jobSchema = z
  .strictObject({
    concurrencyPolicy: z
      .enum(['Forbid', 'Allow', 'Replace'], { error: 'expected "Forbid", "Allow" or "Replace"' })
      .default('Forbid')
      .meta({ description: 'What happens when a run is due while the last one still runs. Default: "Forbid" (skip it).' }),
    timeZone: z
      .string({ error: 'expected a time zone such as "Europe/Berlin"' })
      .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { error: 'expected an IANA time zone such as "Europe/Berlin"' })
      .optional()
      .meta({ description: "Time zone of the schedule. Default: the controller manager's (UTC on managed clusters)." }),
    startingDeadlineSeconds: count(86400).optional().meta({ description: 'How late a missed run may still start. Default: no deadline.' }),
    successfulJobsHistoryLimit: count(100).optional().meta({ description: "Finished Jobs kept. Default: Kubernetes' 3." }),
    failedJobsHistoryLimit: count(100).optional().meta({ description: "Failed Jobs kept. Default: Kubernetes' 1." }),
    backoffLimit: count(100).optional().meta({ description: "Retries of a run before it fails. Default: Kubernetes' 6." }),
    activeDeadlineSeconds: count(604800, 1).optional().meta({ description: 'Longest a run may take. Default: no limit.' }),
    restartPolicy: z
      .enum(['OnFailure', 'Never'], { error: 'expected "OnFailure" or "Never"' })
      .default('OnFailure')
      .meta({ description: 'Restart a failed container in place, or start a new pod. Default: "OnFailure".' }),
  })
  .optional()
  .meta({ description: 'How a CronJob runs (kind: CronJob only). Default: see each field.' });
export type JobConfig = NonNullable<z.infer<typeof jobSchema>>;
