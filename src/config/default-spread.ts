/**
 * Where an environment runs more than one pod of a service, dynenv spreads them over nodes and, where nodes carry
 * the zone label (`cluster.nodeZoneLabel`, the platform's default), over zones, so that one node drain or one zone
 * outage does not take every replica at once. Kubernetes' own default spreading is a weak preference (skew 3 per
 * node, 5 per zone: https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/#internal-default-constraints);
 * these ask for an even spread. `ScheduleAnyway`: a cluster with one zone or fewer nodes than replicas still runs
 * every pod. The keys are Kubernetes' well-known node labels: the kubelet sets the hostname on every node, the
 * cloud provider the zone (https://kubernetes.io/docs/reference/node/node-labels/). A zone constraint where nodes
 * lack the label would do harm: when it scores nodes, the scheduler ignores those without every key of a pod's
 * constraints (pkg/scheduler/framework/plugins/podtopologyspread/scoring.go), which switches the spread off.
 */
import type { SchedulingConfig } from './scheduling-schema.ts';

type SpreadConstraints = NonNullable<SchedulingConfig['topologySpreadConstraints']>;

export const NODE_SPREAD: SpreadConstraints[number] = { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' };
export const ZONE_SPREAD: SpreadConstraints[number] = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' };

/**
 * `scheduling` with the default spread where the service runs several pods and no level sets a spread (`[]` sets
 * none): over nodes, and over zones where `zones` (nodes carry the zone label).
 */
export function withDefaultSpread(scheduling: SchedulingConfig, replicated: boolean, zones: boolean): SchedulingConfig {
  if (!replicated || scheduling.topologySpreadConstraints !== undefined) return scheduling;
  return { ...scheduling, topologySpreadConstraints: zones ? [NODE_SPREAD, ZONE_SPREAD] : [NODE_SPREAD] };
}
