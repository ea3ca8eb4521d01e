/**
 * The guardrails of one environment in dynenv.yaml: what makes a namespace a risk container rather than a
 * folder. Every field is optional here; `resolve-guardrails.ts` fills the per-environment defaults (a preview
 * gets a smaller quota than staging, prod gets a PodDisruptionBudget per service).
 */
import { z } from 'zod';
import {
  count,
  cpuQuantity,
  memoryQuantity,
  objectName,
  port,
  storageQuantity,
} from './primitives.ts';

/** The ResourceQuota of the environment's namespace. */
export const quotaSchema = z.strictObject({
  /** Sum of the requests of every pod in the namespace. @default per environment (preview: cpu 2, memory 4Gi, storage 5Gi) */
  requests: z
    .strictObject({
      /** @default per environment */
      cpu: cpuQuantity.optional(),
      /** @default per environment */
      memory: memoryQuantity.optional(),
      /** Sum of the sizes of every PersistentVolumeClaim. @default per environment */
      storage: storageQuantity.optional(),
    })
    .optional(),
  /** Sum of the limits of every pod. No CPU limit by default (CPU limits throttle). @default per environment */
  limits: z
    .strictObject({
      /** @default none */
      cpu: cpuQuantity.optional(),
      /** @default per environment */
      memory: memoryQuantity.optional(),
    })
    .optional(),
  /** Number of pods. @default per environment (preview: 20) */
  pods: count(100000).optional(),
  /** Number of PersistentVolumeClaims. @default per environment (preview: 2) */
  persistentVolumeClaims: count(10000).optional(),
  /** Services of type LoadBalancer (each one a cloud load balancer that outlives a forgotten preview). @default 0 */
  loadBalancers: count(1000).optional(),
  /** Services of type NodePort (each one a hole in every node). @default 0 */
  nodePorts: count(1000).optional(),
});
export type QuotaConfig = z.infer<typeof quotaSchema>;

const cpuAndMemory = z.strictObject({
  /** @default per field */
  cpu: cpuQuantity.optional(),
  /** @default per field */
  memory: memoryQuantity.optional(),
});

/** The LimitRange: what a container gets when it declares nothing, so none can starve the node. */
export const limitRangeSchema = z.strictObject({
  /** Requests of a container that sets none. @default { cpu: "100m", memory: "128Mi" } */
  defaultRequests: cpuAndMemory.optional(),
  /** Limits of a container that sets none. No CPU limit by default. @default { memory: "256Mi" } */
  defaultLimits: cpuAndMemory.optional(),
  /** Most one container may ask for. @default per environment (preview: memory 2Gi) */
  max: cpuAndMemory.optional(),
});
export type LimitRangeConfig = z.infer<typeof limitRangeSchema>;

const CIDR = /^(([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}|[0-9a-fA-F:]+\/[0-9]{1,3})$/;
const cidr = z.string({ error: 'expected a CIDR such as "10.0.0.0/8"' }).regex(CIDR, { error: 'expected a CIDR such as "10.0.0.0/8"' });

/** One egress allowance beyond the namespace and DNS, e.g. a payment sandbox on 443. */
export const egressRuleSchema = z.strictObject({
  /** Destination network. Required. */
  cidr,
  /** Networks inside `cidr` that stay forbidden, e.g. the cluster's pod and node ranges. @default [] */
  except: z.array(cidr, { error: 'expected a list of CIDRs' }).default([]),
  /** TCP ports. @default every port */
  ports: z.array(port, { error: 'expected a list of ports' }).min(1).optional(),
});
export type EgressRule = z.infer<typeof egressRuleSchema>;

/** The environment's network boundary, on top of default deny, same-namespace traffic and DNS. */
export const networkSchema = z.strictObject({
  /** Extra egress allowed to every pod of the environment. @default [] (no traffic leaves the namespace but DNS) */
  allowEgress: z.array(egressRuleSchema, { error: 'expected a list of egress rules' }).default([]),
});

/** TLS of the environment's Ingress. */
export const tlsSchema = z.strictObject({
  /**
   * Secret holding the certificate, in the environment's namespace. Leave it out to serve the ingress
   * controller's default certificate (a wildcard for previews, typically). @default none
   */
  secretName: objectName.optional(),
  /** cert-manager ClusterIssuer that issues the certificate (`cert-manager.io/cluster-issuer`). @default none */
  clusterIssuer: objectName.optional(),
});
export type TlsConfig = z.infer<typeof tlsSchema>;

const intOrPercent = z.union([count(10000), z.string().regex(/^[0-9]{1,3}%$/)], {
  error: 'expected an integer or a percentage such as "25%"',
});

/** A PodDisruptionBudget per service: exactly one of `maxUnavailable` or `minAvailable`. */
export const disruptionBudgetSchema = z
  .strictObject({
    /** Pods of one service that a voluntary disruption (node drain) may take down at once. @default none */
    maxUnavailable: intOrPercent.optional(),
    /** Pods of one service that must stay up through a voluntary disruption. @default none */
    minAvailable: intOrPercent.optional(),
  })
  .refine((budget) => (budget.maxUnavailable === undefined) !== (budget.minAvailable === undefined), {
    error: 'expected exactly one of "maxUnavailable" or "minAvailable"',
  });
export type DisruptionBudgetConfig = z.infer<typeof disruptionBudgetSchema>;

/** A HorizontalPodAutoscaler for one service in one environment. */
export const autoscalingSchema = z
  .strictObject({
    /** @default 1 */
    minReplicas: count(1000, 1).default(1),
    /** Required. */
    maxReplicas: count(1000, 1),
    /** Average CPU use, in percent of the requests, that the autoscaler aims for. @default 75 */
    cpuUtilization: count(1000, 1).default(75),
    /** Average memory use, in percent of the requests, to aim for as well. @default none */
    memoryUtilization: count(1000, 1).optional(),
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
