/**
 * A service of the application, as `services[]` of dynenv.yaml declares it. The parts of a workload have their
 * own schema files (image, ports, probes, env); the rules that span fields live in `service-checks.ts`.
 */
import { z } from 'zod';
import { allowFromSchema, talksToSchema } from './contracts-schema.ts';
import { envFromSchema, envMap } from './env-schema.ts';
import { builtHereSchema, imageSchema } from './image-schema.ts';
import { initContainersSchema } from './init-containers-schema.ts';
import {
  podAnnotationsSchema,
  podLabelsSchema,
  preStopSleepSchema,
  securityContextSchema,
  serviceAccountSchema,
  terminationGracePeriodSchema,
} from './pod-schema.ts';
import { servicePatchesSchema } from './patches-schema.ts';
import { portsSchema } from './ports-schema.ts';
import { dns1035Label, httpPath, port } from './primitives.ts';
import { probesSchema } from './probes-schema.ts';
import { resourcesSchema } from './resources-schema.ts';
import { schedulingSchema } from './scheduling-schema.ts';
import { volumesSchema } from './volumes-schema.ts';
import { jobSchema, scheduleSchema, workloadKindSchema } from './workload-kind-schema.ts';

export { envMap } from './env-schema.ts';

const strings = z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' });

/** A command run to completion in the service's image. */
const jobCommandSchema = z.strictObject({
  command: strings.min(1).meta({ description: 'Container command. Required.' }),
  args: strings.optional().meta({ description: 'Container arguments. Default: none.' }),
});
export type JobCommand = z.infer<typeof jobCommandSchema>;

export const DEFAULT_RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } as const;

export const serviceSchema = z.strictObject({
  name: dns1035Label.meta({ description: 'Name of the workload, its Service, ServiceAccount and main container. Required.' }),
  kind: workloadKindSchema,
  schedule: scheduleSchema
    .optional()
    .meta({ description: 'When a CronJob runs, in cron syntax ("0 3 * * *"); required for kind: CronJob, which environments may override. Default: none.' }),
  job: jobSchema,
  image: imageSchema,
  builtHere: builtHereSchema,
  port: port.optional().meta({
    description:
      'Shorthand for one HTTP port: the container listens on it, and the Service exposes it as "http" on port 80 (callers write ' +
      '`http://<service>`). Use `ports` for anything else. Default: none (no Service).',
  }),
  ports: portsSchema,
  healthPath: httpPath.optional().meta({
    description:
      'HTTP path of derived readiness and startup probes on the "http" port (or the only port); no liveness probe (it may ' +
      'report dependencies: declare `probes.liveness` on a check of the process itself). Default: none.',
  }),
  healthCommand: strings
    .min(1)
    .optional()
    .meta({ description: 'Command of a derived readiness probe, for a service without a port (a worker); no liveness probe. Default: none.' }),
  probes: probesSchema,
  ingress: z.boolean({ error: 'expected true or false' }).default(false).meta({
    description: 'Expose the service through the environment\'s ingress host, on its port named "http" (or its only port). Default: false.',
  }),
  allowFrom: allowFromSchema,
  talksTo: talksToSchema,
  database: z
    .enum(['postgres'], { error: 'expected "postgres"' })
    .optional()
    .meta({ description: 'The service needs a database of this engine (a preview gets its own). Default: none.' }),
  command: strings.optional().meta({ description: "Container command (entrypoint). Default: the image's." }),
  args: strings.optional().meta({ description: "Container arguments. Default: the image's." }),
  env: envMap.default({}).meta({
    description:
      'Environment variables for every environment (environments add to and override them): a literal value, or ' +
      '{secretKeyRef: {name, key}}, {configMapKeyRef: {name, key}} or {fieldRef: <pod field>}. Default: {}.',
  }),
  envFrom: envFromSchema,
  volumes: volumesSchema,
  initContainers: initContainersSchema,
  podAnnotations: podAnnotationsSchema,
  podLabels: podLabelsSchema,
  terminationGracePeriodSeconds: terminationGracePeriodSchema,
  preStopSleepSeconds: preStopSleepSchema,
  serviceAccount: serviceAccountSchema,
  securityContext: securityContextSchema,
  scheduling: schedulingSchema.meta({
    description:
      'Where the pods may run (nodeSelector, tolerations, affinity, topologySpreadConstraints); environments override it field by field. Default: anywhere.',
  }),
  resources: resourcesSchema.default(DEFAULT_RESOURCES).meta({
    description:
      'Requests and limits for every environment (environments may override them). ' +
      'Default: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } }.',
  }),
  migrate: jobCommandSchema.optional().meta({
    description:
      "Schema migrations, run in the service's image by the Job `<service>-migrate` before the service's pods roll (an Argo " +
      'CD Sync hook in an early wave), in every environment, on every full sync: they must be idempotent; needs `database`. ' +
      'Default: none.',
  }),
  patches: servicePatchesSchema,
  seed: jobCommandSchema.optional().meta({
    description:
      "Seed data for previews, run once per preview by the Job `<service>-seed` after `migrate`, with the preview's tenant " +
      'ID, e-mail domain and storage prefix in its environment (later commits do not seed again; deleting the Job does); ' +
      'needs `database`. Default: none.',
  }),
});
export type ServiceConfig = z.infer<typeof serviceSchema>;
