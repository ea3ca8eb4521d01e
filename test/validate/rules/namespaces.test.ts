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
      expected: [
        'error prod ClusterRole/reader metadata.namespace: ClusterRole is cluster-scoped but sets namespace "shop-prod"',
        'error prod ClusterRole/reader metadata.name: ClusterRole is cluster-scoped: it reaches beyond prod\'s namespace "shop-prod"',
      ],
    },
    {
      name: 'a cluster-scoped object in an environment overlay (a ClusterRoleBinding reaches every namespace)',
      breaks: (tree: FixtureTree) => {
        addObjects(
          tree,
          'prod',
          'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: { name: admin }\nroleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }\nsubjects: [{ kind: ServiceAccount, name: api, namespace: shop-prod }]',
        );
      },
      expected: ['error prod ClusterRoleBinding/admin metadata.name: ClusterRoleBinding is cluster-scoped: it reaches beyond prod\'s namespace "shop-prod"'],
    },
    {
      name: "a Namespace other than the overlay's own (one named like Argo CD's)",
      breaks: (tree: FixtureTree) => {
        addObjects(tree, 'prod', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: argocd }');
      },
      expected: [
        'error prod Namespace/argocd metadata.name: is not prod\'s namespace "shop-prod": this environment\'s Application would create it, and delete it when pruned',
      ],
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
    expect(await lines(namespacesRule, tree)).toEqual([
      'error prod Certificate/shop metadata.namespace: is in namespace "default", not in prod\'s namespace "shop-prod"',
    ]);
  });
});
