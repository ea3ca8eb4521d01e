/**
 * Where an environment runs more than one pod of a service, dynenv spreads them over nodes and zones, so that one
 * node drain or one zone outage does not take every replica at once. Kubernetes' own default spreading is a weak
 * preference (skew 3 per node, 5 per zone: https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/#internal-default-constraints);
 * these ask for an even spread. `ScheduleAnyway`: a cluster with one zone (kind, a zonal cluster) or fewer nodes
 * than replicas still runs every pod. The keys are Kubernetes' well-known node labels, which GKE, EKS, AKS, kind
 * and OpenShift set (https://kubernetes.io/docs/reference/labels-annotations-taints/).
 */
import type { SchedulingConfig } from './scheduling-schema.ts';

type SpreadConstraints = NonNullable<SchedulingConfig['topologySpreadConstraints']>;

export const DEFAULT_TOPOLOGY_SPREAD: SpreadConstraints = [
  { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

/** `scheduling` with the default spread where the service runs several pods and no level sets a spread (`[]` sets none). */
export function withDefaultSpread(scheduling: SchedulingConfig, replicated: boolean): SchedulingConfig {
  if (!replicated || scheduling.topologySpreadConstraints !== undefined) return scheduling;
  return { ...scheduling, topologySpreadConstraints: DEFAULT_TOPOLOGY_SPREAD };
}
