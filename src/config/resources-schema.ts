import { z } from 'zod';
import { cpuQuantity, memoryQuantity } from './primitives.ts';

const resourceAmounts = z.strictObject({
  /** CPU, e.g. "100m". @default none */
  cpu: cpuQuantity.optional(),
  /** Memory, e.g. "128Mi". @default none */
  memory: memoryQuantity.optional(),
});

/** Container requests and limits. No CPU limit by default: CPU limits throttle, a memory limit protects the node. */
export const resourcesSchema = z.strictObject({
  /** @default { cpu: "100m", memory: "128Mi" } */
  requests: resourceAmounts.default({ cpu: '100m', memory: '128Mi' }),
  /** @default { memory: "256Mi" } */
  limits: resourceAmounts.default({ memory: '256Mi' }),
});
export type Resources = z.infer<typeof resourcesSchema>;
