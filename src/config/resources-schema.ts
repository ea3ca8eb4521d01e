import { z } from 'zod';
import { cpuQuantity, memoryQuantity } from './primitives.ts';

const resourceAmounts = z.strictObject({
  cpu: cpuQuantity.optional().meta({ description: 'CPU, e.g. "100m". Default: none.' }),
  memory: memoryQuantity.optional().meta({ description: 'Memory, e.g. "128Mi". Default: none.' }),
});

/** Container requests and limits. No CPU limit by default: CPU limits throttle, a memory limit protects the node. */
export const resourcesSchema = z.strictObject({
  requests: resourceAmounts
    .default({ cpu: '100m', memory: '128Mi' })
    .meta({ description: 'What the container is guaranteed (the scheduler reserves it). Default: { cpu: "100m", memory: "128Mi" }.' }),
  limits: resourceAmounts
    .default({ memory: '256Mi' })
    .meta({ description: 'Most the container may use; no CPU limit unless set (CPU limits throttle). Default: { memory: "256Mi" }.' }),
});
export type Resources = z.infer<typeof resourcesSchema>;
