/**
 * What dynenv.yaml says about the cluster that the rendered tree cannot show: its platform, and whether it
 * enforces NetworkPolicy, has a default StorageClass, and how cert-manager solves challenges. Without a
 * configuration (a tree validated on its own) nothing is known, and the rules say what they cannot see.
 */
import { resolveCluster, type ResolvedCluster } from '../config/resolve-cluster.ts';
import type { Config } from '../config/schema.ts';
import { PLATFORM_PROFILES } from '../platforms/index.ts';

export type ClusterFacts = Pick<ResolvedCluster, 'profile' | 'networkPolicyEnforced' | 'defaultStorageClass' | 'ingressClassName' | 'acmeSolver'>;

/** Nothing known: a generic cluster of which nothing was said. */
export const UNKNOWN_CLUSTER: ClusterFacts = {
  profile: PLATFORM_PROFILES.generic,
  networkPolicyEnforced: undefined,
  defaultStorageClass: 'unknown',
  ingressClassName: undefined,
  acmeSolver: undefined,
};

export function clusterFacts(config: Config): ClusterFacts {
  const { profile, networkPolicyEnforced, defaultStorageClass, ingressClassName, acmeSolver } = resolveCluster(config);
  return { profile, networkPolicyEnforced, defaultStorageClass, ingressClassName, acmeSolver };
}
