import { describe, expect, it } from 'vitest';
import { defaultDenyRule, dnsEgressRule } from '../../../src/validate/rules/default-deny.ts';
import { type FixtureTree, itReportsEachBreakage, CONTEXT, healthyTree, lines, objectIn, removeObject } from '../fixtures.ts';

const denyAll = (tree: FixtureTree) => objectIn(tree, 'prod', 'NetworkPolicy', 'default-deny');
const NO_DEFAULT_DENY =
  'error prod NetworkPolicy: prod has no default-deny NetworkPolicy, so its pods accept traffic from, and send it to, anything in the cluster';

describe('default-deny rule', () => {
  itReportsEachBreakage(defaultDenyRule, [
    {
      name: 'an environment without one',
      breaks: (tree: FixtureTree) => removeObject(tree, 'prod', 'NetworkPolicy', 'default-deny'),
      expected: [NO_DEFAULT_DENY],
    },
    {
      name: 'a deny-all that selects some pods only',
      breaks: (tree: FixtureTree) => {
        denyAll(tree).spec.podSelector = { matchLabels: { app: 'api' } };
      },
      expected: [NO_DEFAULT_DENY],
    },
    {
      name: 'a deny-all without Egress',
      breaks: (tree: FixtureTree) => {
        denyAll(tree).spec.policyTypes = ['Ingress'];
      },
      expected: [`${NO_DEFAULT_DENY} (NetworkPolicy/default-deny has no Egress in policyTypes)`],
    },
    {
      name: 'a deny-all that allows something',
      breaks: (tree: FixtureTree) => {
        denyAll(tree).spec.ingress = [{ from: [{ podSelector: {} }] }];
      },
      expected: [`${NO_DEFAULT_DENY} (NetworkPolicy/default-deny allows traffic (it has ingress rules))`],
    },
  ]);

  it('tells what a default deny looks like', async () => {
    const tree = healthyTree();
    removeObject(tree, 'prod', 'NetworkPolicy', 'default-deny');
    expect((await defaultDenyRule.check(tree, CONTEXT))[0]?.fix).toBe(
      'add a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no ingress or egress rules, then allow what each service needs (and DNS) in narrower policies',
    );
  });
});

describe('dns-egress rule', () => {
  it('passes the healthy tree', async () => {
    expect(await lines(dnsEgressRule, healthyTree())).toEqual([]);
  });

  it('reports an environment that denies egress and allows no DNS', async () => {
    const tree = healthyTree();
    removeObject(tree, 'prod', 'NetworkPolicy', 'allow-dns');
    expect(await lines(dnsEgressRule, tree)).toEqual([
      'error prod NetworkPolicy: prod denies all egress but no NetworkPolicy allows DNS (port 53), so every name lookup from its pods times out',
    ]);
  });

  it.each([
    { name: 'a rule without ports', egress: [{ to: [{ namespaceSelector: {} }] }] },
    { name: 'a port range covering 53', egress: [{ ports: [{ protocol: 'UDP', port: 1, endPort: 1024 }] }] },
    { name: 'a named dns port', egress: [{ ports: [{ protocol: 'UDP', port: 'dns' }] }] },
  ])('accepts DNS allowed by $name', async ({ egress }) => {
    const tree = healthyTree();
    objectIn(tree, 'prod', 'NetworkPolicy', 'allow-dns').spec.egress = egress;
    expect(await lines(dnsEgressRule, tree)).toEqual([]);
  });

  it('reports a DNS policy on the wrong port', async () => {
    const tree = healthyTree();
    objectIn(tree, 'prod', 'NetworkPolicy', 'allow-dns').spec.egress[0].ports = [{ protocol: 'UDP', port: 5353 }];
    expect(await lines(dnsEgressRule, tree)).toHaveLength(1);
  });
});
