import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResolvedLimitRange, ResolvedQuota } from '../config/resolve-guardrails.ts';
import { SYNC_WAVES, syncWave } from './argocd-sync.ts';
import { appLabels } from './labels.ts';

export interface EnvironmentQuotaProps {
  /** Application name, for labels. */
  readonly app: string;
  /** The namespace's total budget. */
  readonly quota: ResolvedQuota;
  /** What a container gets when it declares nothing, and the most it may ask for. */
  readonly limitRange: ResolvedLimitRange;
}

/** Names of the objects, fixed so that a janitor or a dashboard can find them in every namespace. */
export const QUOTA_NAME = 'environment-quota';
export const LIMIT_RANGE_NAME = 'container-defaults';

/**
 * The compute budget of an environment: a ResourceQuota caps what the namespace may hold in total (so one
 * preview cannot take the cluster), and a LimitRange gives every container that declares no requests or limits
 * the defaults, so that no workload without requests can starve the node. Both sync before any pod.
 */
export class EnvironmentQuota extends Construct {
  constructor(scope: Construct, id: string, props: EnvironmentQuotaProps) {
    super(scope, id);
    const { quota, limitRange } = props;
    const metadata = (name: string) => ({ name, labels: appLabels(props.app), annotations: syncWave(SYNC_WAVES.guardrails) });
    const hard: Record<string, string | number> = {
      'requests.cpu': quota.requests.cpu,
      'requests.memory': quota.requests.memory,
      'requests.storage': quota.requests.storage,
      'limits.memory': quota.limits.memory,
      ...(quota.limits.cpu !== undefined && { 'limits.cpu': quota.limits.cpu }),
      pods: quota.pods,
      persistentvolumeclaims: quota.persistentVolumeClaims,
      'services.loadbalancers': quota.loadBalancers,
      'services.nodeports': quota.nodePorts,
    };
    new kplus.k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: metadata(QUOTA_NAME),
      spec: { hard: quantities(hard) },
    });
    new kplus.k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: metadata(LIMIT_RANGE_NAME),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: quantities(limitRange.defaultRequests),
            default: quantities(limitRange.defaultLimits),
            ...(Object.keys(limitRange.max).length > 0 && { max: quantities(limitRange.max) }),
          },
        ],
      },
    });
  }
}

/** Quantities exactly as configured ("4Gi" stays "4Gi"); counts as plain numbers. */
function quantities(amounts: Readonly<Record<string, string | number | undefined>>): Record<string, kplus.k8s.Quantity> {
  return Object.fromEntries(
    Object.entries(amounts)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([name, value]) => [name, typeof value === 'number' ? kplus.k8s.Quantity.fromNumber(value) : kplus.k8s.Quantity.fromString(value)]),
  );
}
