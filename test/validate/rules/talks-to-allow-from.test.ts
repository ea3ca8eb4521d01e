import { describe, expect, it } from 'vitest';
import type { ServiceContract } from '../../../src/config/resolve-contracts.ts';
import type { RuleContext } from '../../../src/validate/rule.ts';
import { talksToAllowFromRule } from '../../../src/validate/rules/talks-to-allow-from.ts';
import { CONTEXT, addObjects, healthyTree, lines } from '../fixtures.ts';

const GRPC = [{ name: 'grpc', containerPort: 7070, port: 7070, protocol: 'TCP' as const }];
const HTTP = [{ name: 'http', containerPort: 8080, port: 80, protocol: 'TCP' as const }];
const withContracts = (contracts: ServiceContract[]): RuleContext => ({ ...CONTEXT, contracts: new Map([['prod', contracts]]) });

/** checkout's calls, as synth renders its talksTo: one egress rule per service it calls. */
const CHECKOUT_CALLS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-checkout-calls, namespace: shop-prod }
spec:
  podSelector: { matchLabels: { app.kubernetes.io/name: checkout } }
  policyTypes: [Egress]
  egress:
    - { to: [{ podSelector: { matchLabels: { app.kubernetes.io/name: payment } } }], ports: [{ port: 8080 }] }
    - { to: [{ podSelector: { matchLabels: { app.kubernetes.io/name: cart } } }], ports: [{ port: 7070 }] }`;

describe('talks-to-allow-from rule', () => {
  it('passes a tree validated without dynenv.yaml, and contracts fenced at both ends', async () => {
    expect(await lines(talksToAllowFromRule, healthyTree())).toEqual([]);
    const both = withContracts([
      { service: 'checkout', callees: [{ service: 'cart', ports: GRPC }] },
      { service: 'cart', callers: [{ service: 'checkout', ports: GRPC }] },
    ]);
    expect(await lines(talksToAllowFromRule, healthyTree(), both)).toEqual([]);
  });

  it('warns about a talksTo whose callee declares no allowFrom, at the egress rule of the call, naming the allowFrom to add', async () => {
    const tree = healthyTree();
    addObjects(tree, 'prod', CHECKOUT_CALLS);
    const context = withContracts([
      {
        service: 'checkout',
        callees: [
          { service: 'payment', ports: HTTP },
          { service: 'cart', ports: GRPC },
        ],
      },
      { service: 'frontend', callees: [{ service: 'cart', ports: GRPC }] },
      { service: 'payment', callers: [{ service: 'checkout', ports: HTTP }] },
    ]);
    expect(await lines(talksToAllowFromRule, tree, context)).toEqual([
      "warning prod NetworkPolicy/allow-checkout-calls spec.egress[1]: checkout declares talksTo cart, but cart declares no allowFrom: it admits every pod of the namespace, so the contract holds on checkout's side only",
      "warning prod: frontend declares talksTo cart, but cart declares no allowFrom: it admits every pod of the namespace, so the contract holds on frontend's side only",
    ]);
    const findings = await talksToAllowFromRule.check(tree, context);
    expect(findings[0]!.fix).toBe('in dynenv.yaml, add allowFrom: [checkout, frontend] to service cart (with any other service that calls it)');
  });

  it('checks only the environments whose contracts it is given', async () => {
    const context: RuleContext = { ...CONTEXT, contracts: new Map([['dev', [{ service: 'checkout', callees: [{ service: 'cart', ports: GRPC }] }]]]) };
    expect(await lines(talksToAllowFromRule, healthyTree(), context)).toEqual([]);
  });
});
