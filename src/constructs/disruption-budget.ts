import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResolvedDisruptionBudget } from '../config/resolve-guardrails.ts';
import { selectorLabels, serviceLabels } from './labels.ts';

export interface DisruptionBudgetProps {
  /** Application name, for labels and the pod selector. */
  readonly app: string;
  /** Service whose pods the budget protects. */
  readonly service: string;
  /** How many pods a voluntary disruption may take, or must leave. */
  readonly budget: ResolvedDisruptionBudget;
}

/** A PodDisruptionBudget for one service, so a node drain cannot take all of its pods at once. */
export class DisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    const amount = (value: number | string) => (typeof value === 'number' ? kplus.k8s.IntOrString.fromNumber(value) : kplus.k8s.IntOrString.fromString(value));
    new kplus.k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: { name: props.service, labels: serviceLabels(props.app, props.service) },
      spec: {
        selector: { matchLabels: selectorLabels(props.app, props.service) },
        ...('maxUnavailable' in props.budget ? { maxUnavailable: amount(props.budget.maxUnavailable) } : { minAvailable: amount(props.budget.minAvailable) }),
        // A pod that is not ready yet may always be evicted: it serves nothing, and keeping it blocks drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
