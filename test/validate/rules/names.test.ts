import { describe, expect, it } from 'vitest';
import { namesRule } from '../../../src/validate/rules/names.ts';
import { type FixtureTree, itReportsEachBreakage, addObjects, healthyTree, lines, objectIn } from '../fixtures.ts';

describe('name rule', () => {
  itReportsEachBreakage(namesRule, [
    {
      name: 'an object name longer than 63 characters',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'ConfigMap', 'api-config').metadata.name = 'a'.repeat(64);
      },
      expected: [
        `error prod ConfigMap/${'a'.repeat(64)} metadata.name: name "${'a'.repeat(64)}" is not a DNS-1123 label: it must be at most 63 characters (has 64)`,
      ],
    },
    {
      name: 'an object name with upper-case letters and dots',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Service', 'api').metadata.name = 'Api.v2';
      },
      expected: [
        'error prod Service/Api.v2 metadata.name: name "Api.v2" is not a DNS-1123 label: it must be lower-case letters, digits and "-", starting and ending with a letter or digit',
      ],
    },
    {
      name: 'a container name that is not a label',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.containers[0].name = 'api_server';
      },
      expected: [
        'error prod Deployment/api spec.template.spec.containers[0].name: container name "api_server" is not a DNS-1123 label: it must be lower-case letters, digits and "-", starting and ending with a letter or digit',
      ],
    },
    {
      name: 'a namespace that is not a label',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'ServiceAccount', 'api').metadata.namespace = 'shop-prod-';
      },
      expected: [
        'error prod ServiceAccount/api metadata.namespace: namespace "shop-prod-" is not a DNS-1123 label: it must be lower-case letters, digits and "-", starting and ending with a letter or digit',
      ],
    },
  ]);

  it('accepts the dotted names a CustomResourceDefinition must have', async () => {
    const tree = healthyTree();
    addObjects(
      tree,
      'prod',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }`,
    );
    expect(await lines(namesRule, tree)).toEqual([]);
  });
});
