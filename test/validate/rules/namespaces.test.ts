import { describe, expect, it } from 'vitest';
import { namespacesRule } from '../../../src/validate/rules/namespaces.ts';
import { type FixtureTree, itReportsEachBreakage, addObjects, healthyTree, lines, objectIn } from '../fixtures.ts';

describe('namespace rule', () => {
  itReportsEachBreakage(namespacesRule, [
    {
      name: "a namespaced object in another environment's namespace",
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'ConfigMap', 'api-config').metadata.namespace = 'shop-staging';
      },
      expected: ['error prod ConfigMap/api-config metadata.namespace: is in namespace "shop-staging", not in prod\'s namespace "shop-prod"'],
    },
    {
      name: 'a namespaced object without a namespace',
      breaks: (tree: FixtureTree) => {
        delete objectIn(tree, 'prod', 'Service', 'api').metadata.namespace;
      },
      expected: ['error prod Service/api metadata.namespace: sets no namespace: it belongs in "shop-prod"'],
    },
    {
      name: 'a cluster-scoped object with a namespace',
      breaks: (tree: FixtureTree) => {
        addObjects(tree, 'prod', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: reader, namespace: shop-prod }');
      },
      expected: ['error prod ClusterRole/reader metadata.namespace: ClusterRole is cluster-scoped but sets namespace "shop-prod"'],
    },
    {
      name: 'an overlay that sets no namespace',
      breaks: (tree: FixtureTree) => {
        tree.scopes[0] = { ...tree.scopes[0]!, namespace: undefined };
      },
      expected: ['error prod: gitops/overlays/prod sets no namespace: its objects land wherever the Argo CD Application points'],
    },
  ]);

  it('leaves a custom resource without a namespace alone (it may be cluster-scoped), but not one in the wrong namespace', async () => {
    const tree = healthyTree();
    addObjects(
      tree,
      'prod',
      `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: letsencrypt }
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: shop, namespace: default }`,
    );
    expect(await lines(namespacesRule, tree)).toEqual(['error prod Certificate/shop metadata.namespace: is in namespace "default", not in prod\'s namespace "shop-prod"']);
  });
});
