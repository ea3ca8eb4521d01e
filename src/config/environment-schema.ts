/** One environment of dynenv.yaml (`environments.<env>`), and what it may override per service. */
import { z } from 'zod';
import { autoscalingSchema, disruptionBudgetSchema, limitRangeSchema, networkSchema, podSecuritySchema, quotaSchema, tlsSchema } from './guardrails-schema.ts';
import { digest, dns1123Label, hostname, imageTag, namespaceName, objectName, replicas, storageQuantity } from './primitives.ts';
import { environmentPatchesSchema, servicePatchesSchema } from './patches-schema.ts';
import { egressRulesSchema, externalDatabaseSchema } from './network-schema.ts';
import { resourcesSchema } from './resources-schema.ts';
import { schedulingSchema } from './scheduling-schema.ts';
import { envMap } from './service-schema.ts';
import { scheduleSchema } from './workload-kind-schema.ts';

const storageOverride = z.strictObject({
  size: storageQuantity.optional().meta({ description: "Size of each pod's claim here. Default: the volume's `size`." }),
  storageClass: objectName.optional().meta({ description: "StorageClass here. Default: the environment's `storageClass`, else the volume's." }),
});

/** What an environment may override for one service. */
const serviceOverrideSchema = z.strictObject({
  enabled: z.boolean({ error: 'expected true or false' }).default(true).meta({
    description: 'false leaves the service out of this environment entirely (no workload, Service, Ingress or Job). Default: true.',
  }),
  replicas: replicas.optional().meta({ description: "Replicas of the service in this environment. Default: the environment's `replicas`." }),
  env: envMap.default({}).meta({
    description:
      "Environment variables of the service in this environment, added to (and overriding) the service's and the environment's " + '`env`. Default: {}.',
  }),
  resources: resourcesSchema.optional().meta({
    description: "Requests and limits of the service in this environment. Default: the environment's `resources`, else the service's.",
  }),
  imageTag: imageTag.optional().meta({ description: "Image tag the service follows in this environment (dev). Default: the environment's `imageTag`." }),
  digest: digest.optional().meta({
    description:
      "Image digest to pin when the overlay has none yet. Once the overlay's `kustomization.yaml` holds a pin, `dynenv promote` " +
      'owns it and synthesis carries it forward. Required in staging and prod. Default: none.',
  }),
  autoscaling: autoscalingSchema.optional().meta({ description: 'A HorizontalPodAutoscaler, which then owns the replica count. Default: none.' }),
  scheduling: schedulingSchema.meta({
    description: "Where the service's pods may run here, field by field over the environment's and the service's. Default: theirs.",
  }),
  storage: z
    .record(dns1123Label('a volume name'), storageOverride, { error: 'expected a map of volume name to {size, storageClass}' })
    .default({})
    .meta({ description: 'Size and StorageClass of the persistent volumes of the service here, by volume name. Default: {}.' }),
  schedule: scheduleSchema.optional().meta({ description: "A CronJob's schedule here. Default: the service's `schedule`." }),
  suspend: z.boolean({ error: 'expected true or false' }).optional().meta({
    description: 'Suspend a CronJob here (no new runs). Default: false.',
  }),
  patches: servicePatchesSchema,
  egress: egressRulesSchema.default([]).meta({
    description:
      "Egress of this service's pods and its migration Job in this environment, beyond the environment's `network.allowEgress`: " +
      '{ cidr, except, ports } or { to: metadata-server } or { to: database }. Default: [].',
  }),
  database: externalDatabaseSchema.optional().meta({
    description: "This service's external database in this environment, instead of the environment's `database`. Default: none.",
  }),
});
export type ServiceOverride = z.infer<typeof serviceOverrideSchema>;

export const environmentSchema = z.strictObject({
  namespace: namespaceName.optional().meta({ description: 'Namespace of the environment. Default: "<app>-<environment>" (preview: set per pull request).' }),
  replicas: replicas.default(1).meta({ description: 'Replicas of every service. Default: 1.' }),
  env: envMap.default({}).meta({ description: 'Environment variables added to every service, e.g. LOG_LEVEL. Default: {}.' }),
  resources: resourcesSchema.optional().meta({ description: "Requests and limits of every service. Default: each service's `resources`." }),
  host: hostname.optional().meta({ description: 'Host of the ingress for services with `ingress: true`. Default: none (no Ingress).' }),
  imageTag: imageTag.optional().meta({ description: 'Image tag every service follows, for environments that follow a branch (dev). Default: none.' }),
  services: z
    .record(z.string(), serviceOverrideSchema, { error: 'expected a map of service name to overrides' })
    .default({})
    .meta({ description: 'Per-service overrides, keyed by service name. Default: {}.' }),
  tls: tlsSchema.optional().meta({ description: 'TLS of the ingress host. Default: none (plain HTTP).' }),
  storageClass: objectName.optional().meta({
    description: "StorageClass of every persistent volume here, over each volume's own. Default: each volume's, else the cluster's default StorageClass.",
  }),
  scheduling: schedulingSchema.meta({
    description: "Where every service's pods may run here, field by field over each service's own. Default: the services'.",
  }),
  patches: environmentPatchesSchema,
  podSecurity: podSecuritySchema.default('restricted').meta({ description: 'Pod Security Standard enforced on the namespace. Default: "restricted".' }),
  quota: quotaSchema.default({}).meta({ description: "The namespace's ResourceQuota. Default: per environment, smallest for previews." }),
  limitRange: limitRangeSchema.default({}).meta({ description: "The namespace's LimitRange (container defaults). Default: per environment." }),
  network: networkSchema.default({ allowEgress: [] }).meta({ description: 'Egress beyond the namespace and DNS. Default: none.' }),
  database: externalDatabaseSchema.optional().meta({
    description:
      'The external database (RDS, Cloud SQL and its proxy on 3307, a PrivateLink endpoint) of the services with `database:`: ' +
      'their pods and migration Jobs may reach it, nothing else may. Not in previews, which run their own. Default: none.',
  }),
  disruptionBudget: z
    .union([z.literal(false), disruptionBudgetSchema], { error: 'expected false or a map with "maxUnavailable" or "minAvailable"' })
    .optional()
    .meta({
      description:
        'A PodDisruptionBudget for every service, or false for none. Default: { maxUnavailable: 1 } for each service that runs more ' +
        'than one pod (replicas, or an autoscaler that may start more), none for the others.',
    }),
});
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

/** An environment left out of dynenv.yaml: every field at its default. */
export const emptyEnvironment = {
  replicas: 1,
  env: {},
  services: {},
  patches: [],
  podSecurity: 'restricted' as const,
  quota: {},
  limitRange: {},
  network: { allowEgress: [] },
};
