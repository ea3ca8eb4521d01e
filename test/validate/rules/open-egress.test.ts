import { describe, expect, it } from 'vitest';
import { openEgressRule } from '../../../src/validate/rules/open-egress.ts';
import { CONTEXT, type FixtureTree, addObjects, healthyTree, itReportsEachBreakage, lines } from '../fixtures.ts';

const policy = (name: string, egress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: shop-prod }
spec:
  podSelector: { matchLabels: { dynenv.io/component: database-credentials } }
  policyTypes: [Egress]
  egress: ${egress}`;

const OPEN_API_SERVER = policy('allow-api-server', '[{ ports: [{ protocol: TCP, port: 443 }, { protocol: TCP, port: 6443 }] }]');

describe('open-egress rule', () => {
  itReportsEachBreakage(openEgressRule, [
    {
      name: 'allow-api-server without the API server address (cluster.apiServer unset)',
      breaks: (tree: FixtureTree) => addObjects(tree, 'prod', OPEN_API_SERVER),
      expected: ['warning prod NetworkPolicy/allow-api-server spec.egress[0].to: lets its pods out on 443, 6443 to every address'],
    },
    {
      name: 'any other egress rule with ports and an empty to:',
      breaks: (tree: FixtureTree) => addObjects(tree, 'prod', policy('allow-https', '[{ to: [], ports: [{ port: 443 }] }]')),
      expected: ['warning prod NetworkPolicy/allow-https spec.egress[0].to: lets its pods out on 443 to every address'],
    },
  ]);

  it('names the setting that closes allow-api-server', async () => {
    const tree = healthyTree();
    addObjects(tree, 'prod', OPEN_API_SERVER);
    const [found] = await openEgressRule.check(tree, CONTEXT);
    expect(found?.fix).toBe("say where the API server is: cluster.apiServer.addresses in dynenv.yaml (the endpoints of Service 'kubernetes' in 'default')");
  });

  it('leaves a rule that names its addresses alone', async () => {
    const tree = healthyTree();
    addObjects(tree, 'prod', policy('allow-api-server', '[{ to: [{ ipBlock: { cidr: 172.18.0.2/32 } }], ports: [{ port: 6443 }] }]'));
    expect(await lines(openEgressRule, tree)).toEqual([]);
  });
});
