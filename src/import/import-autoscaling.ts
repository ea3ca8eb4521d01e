/** A HorizontalPodAutoscaler (autoscaling/v1 or v2) as `environments.<env>.services.<svc>.autoscaling`. */
import type { Manifest } from './manifests.ts';
import type { Json } from './json.ts';

export interface ImportedAutoscaling {
  readonly autoscaling: Json;
  /** What could not be carried (metrics other than CPU and memory utilisation, behavior). */
  readonly note?: string;
}

export function importAutoscaling(manifest: Manifest): ImportedAutoscaling {
  const spec: Json = manifest.body.spec ?? {};
  const autoscaling: Json = { maxReplicas: spec.maxReplicas };
  if (spec.minReplicas !== undefined && spec.minReplicas !== 1) autoscaling.minReplicas = spec.minReplicas;
  const left: string[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined) autoscaling.cpuUtilization = spec.targetCPUUtilizationPercentage;
  for (const metric of (spec.metrics ?? []) as Json[]) {
    const utilization = metric.type === 'Resource' && metric.resource?.target?.type === 'Utilization' ? metric.resource.target.averageUtilization : undefined;
    if (utilization !== undefined && metric.resource.name === 'cpu') autoscaling.cpuUtilization = utilization;
    else if (utilization !== undefined && metric.resource.name === 'memory') autoscaling.memoryUtilization = utilization;
    else left.push(`${metric.type} metric${metric.resource?.name ? ` ${metric.resource.name}` : ''}`);
  }
  if (spec.behavior !== undefined) left.push('behavior');
  if (autoscaling.cpuUtilization === 75) delete autoscaling.cpuUtilization;
  return {
    autoscaling,
    ...(left.length > 0 && { note: `not carried: ${left.join(', ')} (dynenv scales on CPU${autoscaling.memoryUtilization ? ' and memory' : ''})` }),
  };
}
