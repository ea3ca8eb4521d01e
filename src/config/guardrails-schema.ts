/**
 * The guardrails of one environment in dynenv.yaml: what makes a namespace a risk container rather than a
 * folder. Every field is optional here; `resolve-guardrails.ts` fills the per-environment defaults (a preview
 * gets a smaller quota than staging, prod gets a PodDisruptionBudget per service).
 */
import { z } from 'zod';
import { count, cpuQuantity, memoryQuantity, objectName, storageQuantity } from './primitives.ts';
import { egressRulesSchema } from './network-schema.ts';

/** The ResourceQuota of the environment's namespace. */
export const quotaSchema = z.strictObject({
  requests: z
    .strictObject({
      cpu: cpuQuantity.optional().meta({ description: 'CPU requests of every pod together. Default: per environment.' }),
      memory: memoryQuantity.optional().meta({ description: 'Memory requests of every pod together. Default: per environment.' }),
      storage: storageQuantity.optional().meta({ description: 'Sum of the sizes of every PersistentVolumeClaim. Default: per environment.' }),
    })
    .optional()
    .meta({
      description: 'Sum of the requests of every pod in the namespace. Default: per environment (preview: cpu 2, memory 4Gi, storage 5Gi).',
    }),
  limits: z
    .strictObject({
      cpu: cpuQuantity.optional().meta({ description: 'CPU limits of every pod together. Default: none.' }),
      memory: memoryQuantity.optional().meta({ description: 'Memory limits of every pod together. Default: per environment.' }),
    })
    .optional()
    .meta({ description: 'Sum of the limits of every pod. No CPU limit by default (CPU limits throttle). Default: per environment.' }),
  pods: count(100000).optional().meta({ description: 'Number of pods. Default: per environment (preview: 20).' }),
  persistentVolumeClaims: count(10000).optional().meta({ description: 'Number of PersistentVolumeClaims. Default: per environment (preview: 2).' }),
  loadBalancers: count(1000).optional().meta({
    description: 'Services of type LoadBalancer (each one a cloud load balancer that outlives a forgotten preview). Default: 0.',
  }),
  nodePorts: count(1000).optional().meta({ description: 'Services of type NodePort (each one a hole in every node). Default: 0.' }),
});
export type QuotaConfig = z.infer<typeof quotaSchema>;

const cpuAndMemory = z.strictObject({
  cpu: cpuQuantity.optional().meta({ description: 'CPU, e.g. "100m". Default: as in the default of the enclosing field.' }),
  memory: memoryQuantity.optional().meta({ description: 'Memory, e.g. "128Mi". Default: as in the default of the enclosing field.' }),
});

/** The LimitRange: what a container gets when it declares nothing, so none can starve the node. */
export const limitRangeSchema = z.strictObject({
  defaultRequests: cpuAndMemory.optional().meta({ description: 'Requests of a container that sets none. Default: { cpu: "100m", memory: "128Mi" }.' }),
  defaultLimits: cpuAndMemory.optional().meta({ description: 'Limits of a container that sets none. No CPU limit by default. Default: { memory: "256Mi" }.' }),
  max: cpuAndMemory.optional().meta({ description: 'Most one container may ask for. Default: per environment (preview: memory 2Gi).' }),
});
export type LimitRangeConfig = z.infer<typeof limitRangeSchema>;

/** The environment's network boundary, on top of default deny, same-namespace traffic and DNS. */
export const networkSchema = z.strictObject({
  allowEgress: egressRulesSchema
    .default([])
    .meta({ description: 'Extra egress allowed to every pod of the environment. Default: [] (no traffic leaves the namespace but DNS).' }),
});

/** TLS of an Ingress: the environment's, or the plugin server's webhook Ingress. */
export const tlsSchema = z.strictObject({
  secretName: objectName.optional().meta({
    description:
      "Secret holding the certificate, in the Ingress's namespace. Leave it out to serve the ingress controller's default " +
      'certificate (a wildcard for previews, typically). Default: none.',
  }),
  clusterIssuer: objectName
    .optional()
    .meta({ description: 'cert-manager ClusterIssuer that issues the certificate (`cert-manager.io/cluster-issuer`). Default: none.' }),
});
export type TlsConfig = z.infer<typeof tlsSchema>;

const intOrPercent = z.union([count(10000), z.string().regex(/^[0-9]{1,3}%$/)], {
  error: 'expected an integer or a percentage such as "25%"',
});

/** A PodDisruptionBudget per service: exactly one of `maxUnavailable` or `minAvailable`. */
export const disruptionBudgetSchema = z
  .strictObject({
    maxUnavailable: intOrPercent
      .optional()
      .meta({ description: 'Pods of one service that a voluntary disruption (node drain) may take down at once. Default: none.' }),
    minAvailable: intOrPercent.optional().meta({ description: 'Pods of one service that must stay up through a voluntary disruption. Default: none.' }),
  })
  .refine((budget) => (budget.maxUnavailable === undefined) !== (budget.minAvailable === undefined), {
    error: 'expected exactly one of "maxUnavailable" or "minAvailable"',
  });
export type DisruptionBudgetConfig = z.infer<typeof disruptionBudgetSchema>;

/** A HorizontalPodAutoscaler for one service in one environment. */
export const autoscalingSchema = z
  .strictObject({
    minReplicas: count(1000, 1).default(1).meta({ description: 'Fewest replicas the autoscaler keeps. Default: 1.' }),
    maxReplicas: count(1000, 1).meta({ description: 'Most replicas the autoscaler may start. Required.' }),
    cpuUtilization: count(1000, 1).default(75).meta({ description: 'Average CPU use, in percent of the requests, that the autoscaler aims for. Default: 75.' }),
    memoryUtilization: count(1000, 1).optional().meta({ description: 'Average memory use, in percent of the requests, to aim for as well. Default: none.' }),
  })
  .refine((scaling) => scaling.minReplicas <= scaling.maxReplicas, {
    error: 'expected "minReplicas" at most "maxReplicas"',
  });
export type AutoscalingConfig = z.infer<typeof autoscalingSchema>;

/** Pod Security Standards level enforced on the namespace. */
export const podSecuritySchema = z.enum(['restricted', 'baseline', 'privileged'], {
  error: 'expected "restricted", "baseline" or "privileged"',
});
export type PodSecurityLevel = z.infer<typeof podSecuritySchema>;
