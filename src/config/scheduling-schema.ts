/**
 * Where a service's pods may run: node labels, taints they tolerate, affinity and spread. Services set them, and
 * each environment may override them field by field (prod spreads across zones, dev tolerates a spot pool).
 */
import { Affinity } from 'kubernetes-models/v1/Affinity';
import { z } from 'zod';
import { count, labelKey, labelMap, labelValue } from './primitives.ts';

const toleration = z.strictObject({
  key: labelKey.optional().meta({ description: 'Taint key; with operator Exists and no key, every taint. Default: none.' }),
  operator: z
    .enum(['Equal', 'Exists'], { error: 'expected "Equal" or "Exists"' })
    .default('Equal')
    .meta({ description: 'How the value matches. Default: "Equal".' }),
  value: labelValue.optional().meta({ description: 'Taint value (operator Equal). Default: none.' }),
  effect: z
    .enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], { error: 'expected "NoSchedule", "PreferNoSchedule" or "NoExecute"' })
    .optional()
    .meta({ description: 'Effect tolerated. Default: every effect.' }),
  tolerationSeconds: count(2147483647).optional().meta({ description: 'How long a NoExecute taint is tolerated. Default: forever.' }),
});

const spread = z.strictObject({
  maxSkew: count(1000, 1).default(1).meta({ description: 'Most the pod count may differ between two domains. Default: 1.' }),
  topologyKey: labelKey.meta({ description: 'Node label that defines a domain, e.g. "topology.kubernetes.io/zone". Required.' }),
  whenUnsatisfiable: z
    .enum(['DoNotSchedule', 'ScheduleAnyway'], { error: 'expected "DoNotSchedule" or "ScheduleAnyway"' })
    .default('ScheduleAnyway')
    .meta({ description: 'Leave a pod pending, or schedule it anyway, when the spread cannot hold. Default: "ScheduleAnyway".' }),
  minDomains: count(1000, 1).optional().meta({ description: 'Domains counted as eligible at least (DoNotSchedule only). Default: none.' }),
});

// Affinity is a deep structure; kubernetes-models checks it against the official schema rather than a copy here.
const affinity = z.record(z.string(), z.unknown(), { error: 'expected a map (a Kubernetes affinity)' }).superRefine((value, ctx) => {
  try {
    new Affinity(value as object).validate();
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a Kubernetes affinity: ${(error as Error).message.split('\n')[0]}` });
  }
});

export const schedulingSchema = z
  .strictObject({
    nodeSelector: labelMap.optional().meta({ description: 'Node labels the pods need, e.g. { kubernetes.io/arch: arm64 }. Default: none.' }),
    tolerations: z.array(toleration, { error: 'expected a list of tolerations' }).optional().meta({ description: 'Taints the pods tolerate. Default: none.' }),
    affinity: affinity
      .optional()
      .meta({ description: 'Node and pod (anti-)affinity, as in a pod spec; checked against the Kubernetes schema. Default: none.' }),
    topologySpreadConstraints: z
      .array(spread, { error: 'expected a list of spread constraints' })
      .optional()
      .meta({ description: "Spread of the service's pods over domains (their selector is the service's). Default: none." }),
  })
  .optional();
export type SchedulingConfig = NonNullable<z.infer<typeof schedulingSchema>>;
