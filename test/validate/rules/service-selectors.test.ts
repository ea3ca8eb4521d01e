import { describe, expect, it } from 'vitest';
import { serviceSelectorsRule } from '../../../src/validate/rules/service-selectors.ts';
import { type FixtureTree, itReportsEachBreakage, CONTEXT, addObjects, healthyTree, lines, objectIn, removeObject } from '../fixtures.ts';

describe('service-selector rule', () => {
  itReportsEachBreakage(serviceSelectorsRule, [
    {
      name: 'a selector that matches no pod template',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Service', 'api').spec.selector = { 'app.kubernetes.io/name': 'api', tier: 'backend' };
      },
      expected: ['error prod Service/api spec.selector: selects no pods: no workload in prod has pods labelled app.kubernetes.io/name=api, tier=backend'],
    },
    {
      name: 'a selector whose workload is gone',
      breaks: (tree: FixtureTree) => removeObject(tree, 'prod', 'Deployment', 'api'),
      expected: ['error prod Service/api spec.selector: selects no pods: no workload in prod has pods labelled app.kubernetes.io/name=api'],
    },
    {
      name: 'a selector that only matches pods in another overlay',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Service', 'api').spec.selector = { 'app.kubernetes.io/name': 'web' };
        addObjects(tree, 'argocd', 'apiVersion: v1\nkind: Pod\nmetadata: { name: web, labels: { app.kubernetes.io/name: web } }\nspec: { containers: [] }');
      },
      expected: ['error prod Service/api spec.selector: selects no pods: no workload in prod has pods labelled app.kubernetes.io/name=web'],
    },
    {
      name: 'a named target port no selected container has',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Service', 'api').spec.ports[0].targetPort = 'web';
      },
      expected: [
        'error prod Service/api spec.ports[0].targetPort: targets port "web" by name, but no container of the pods it selects (Deployment/api) has a port of that name',
      ],
    },
  ]);

  it('points at the workload whose labels come closest', async () => {
    const tree = healthyTree();
    objectIn(tree, 'prod', 'Service', 'api').spec.selector = { 'app.kubernetes.io/name': 'api', tier: 'backend' };
    const [item] = await serviceSelectorsRule.check(tree, CONTEXT);
    expect(item?.fix).toBe('make spec.selector a subset of the pod labels of the workload it fronts (Deployment/api has app.kubernetes.io/name=api)');
  });

  it('leaves Services without a selector alone (ExternalName, hand-made endpoints), and takes numeric target ports as they are', async () => {
    const tree = healthyTree();
    addObjects(
      tree,
      'prod',
      `apiVersion: v1
kind: Service
metadata: { name: payments, namespace: shop-prod }
spec: { type: ExternalName, externalName: api.payments.example.com }
---
apiVersion: v1
kind: Service
metadata: { name: api-direct, namespace: shop-prod }
spec: { selector: { app.kubernetes.io/name: api }, ports: [{ port: 8080, targetPort: 8080 }] }`,
    );
    expect(await lines(serviceSelectorsRule, tree)).toEqual([]);
  });
});
