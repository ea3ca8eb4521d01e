import { describe, expect, it } from 'vitest';
import { pluginConfigRule } from '../../../src/validate/rules/plugin-config.ts';
import { type FixtureTree, itReportsEachBreakage, CONTEXT, addObjects, healthyTree, lines, objectIn, removeObject } from '../fixtures.ts';

const pluginConfig = (tree: FixtureTree) => objectIn(tree, 'argocd', 'ConfigMap', 'dynenv-plugin');

describe('plugin-config rule', () => {
  itReportsEachBreakage(pluginConfigRule, [
    {
      name: 'a plugin generator naming a missing ConfigMap',
      breaks: (tree: FixtureTree) => removeObject(tree, 'argocd', 'ConfigMap', 'dynenv-plugin'),
      expected: [
        'error argocd ApplicationSet/shop-previews spec.generators[0].plugin.configMapRef.name: plugin generator names ConfigMap "dynenv-plugin", which is neither in argocd nor declared external',
      ],
    },
    {
      name: 'a ConfigMap without baseUrl',
      breaks: (tree: FixtureTree) => {
        delete pluginConfig(tree).data.baseUrl;
      },
      expected: ['error argocd ConfigMap/dynenv-plugin data.baseUrl: baseUrl is missing or empty: Argo CD rejects a plugin ConfigMap without it'],
    },
    {
      name: 'a token in clear text',
      breaks: (tree: FixtureTree) => {
        pluginConfig(tree).data.token = 's3cr3t';
      },
      expected: ['error argocd ConfigMap/dynenv-plugin data.token: token is written in clear text, so the credential is committed to Git'],
    },
    {
      name: 'a token Secret that is neither in the tree nor external',
      breaks: (tree: FixtureTree) => {
        pluginConfig(tree).data.token = '$plugin-token:token';
      },
      expected: [
        'error argocd ConfigMap/dynenv-plugin data.token: token reads Secret "plugin-token", which is neither in argocd nor declared external: Argo CD would send "$plugin-token:token" as the token',
      ],
    },
    {
      name: 'a token Secret in the tree without the key',
      breaks: (tree: FixtureTree) => {
        pluginConfig(tree).data.token = '$plugin-token:token';
        addObjects(tree, 'argocd', 'apiVersion: v1\nkind: Secret\nmetadata: { name: plugin-token, namespace: argocd }\nstringData: { value: x }');
      },
      expected: [
        'error argocd ConfigMap/dynenv-plugin data.token: token reads key "token" of Secret "plugin-token", which has no such key: Argo CD would send "$plugin-token:token" as the token',
      ],
    },
  ]);

  it('accepts a token read from argocd-secret ($key), and a plugin generator nested in a matrix', async () => {
    const tree = healthyTree();
    pluginConfig(tree).data.token = '$dynenv.plugin.token';
    const applicationSet = objectIn(tree, 'argocd', 'ApplicationSet', 'shop-previews');
    applicationSet.spec.generators = [{ matrix: { generators: [...applicationSet.spec.generators, { clusters: {} }] } }];
    expect(await lines(pluginConfigRule, tree)).toEqual([]);
    removeObject(tree, 'argocd', 'ConfigMap', 'dynenv-plugin');
    expect((await pluginConfigRule.check(tree, CONTEXT)).map((item) => item.path)).toEqual([
      'spec.generators[0].matrix.generators[0].plugin.configMapRef.name',
    ]);
  });
});
