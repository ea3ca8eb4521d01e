/** DisruptionBudget, on its own: it protects exactly the service's pods, with the budget it is given. */
import { describe, expect, it } from 'vitest';
import { DisruptionBudget } from '../../src/constructs/disruption-budget.ts';
import { selectorLabels } from '../../src/constructs/labels.ts';
import type { ResolvedDisruptionBudget } from '../../src/config/resolve-guardrails.ts';
import { synthConstruct } from '../support/construct-synth.ts';

const budgetFor = (budget: ResolvedDisruptionBudget) =>
  synthConstruct((chart) => new DisruptionBudget(chart, 'pdb', { app: 'shop', service: 'api', budget }))[0];

describe('DisruptionBudget', () => {
  it("selects the service's pods as its workload does, and lets a drain evict a pod that is not ready", () => {
    const object = budgetFor({ maxUnavailable: 1 });
    expect(object.kind).toBe('PodDisruptionBudget');
    expect(object.metadata.name).toBe('api');
    expect(object.spec.selector).toEqual({ matchLabels: selectorLabels('shop', 'api') });
    expect(object.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  it.each([
    [{ maxUnavailable: 1 }, { maxUnavailable: 1 }],
    [{ maxUnavailable: '25%' }, { maxUnavailable: '25%' }],
    [{ minAvailable: 2 }, { minAvailable: 2 }],
    [{ minAvailable: '50%' }, { minAvailable: '50%' }],
  ] as const)('writes %o as exactly that bound, numbers as numbers and percentages as strings', (budget, expected) => {
    const { selector: _selector, unhealthyPodEvictionPolicy: _policy, ...bounds } = budgetFor(budget).spec;
    expect(bounds).toEqual(expected);
  });
});
