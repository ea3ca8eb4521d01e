import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaRule } from '../../../src/validate/rules/schema.ts';
import { REPO_ROOT } from '../../support/workspace.ts';
import { type FixtureTree, itReportsEachBreakage, CONTEXT, addObjects, healthyTree, line, objectIn, objectsOf } from '../fixtures.ts';

describe('schema rule', () => {
  itReportsEachBreakage(schemaRule, [
    {
      name: 'a misspelt field (replica:)',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.replica = 3;
      },
      expected: [
        'error prod Deployment/api spec.replica: unknown field "replica": the apps/v1 Deployment schema has no such field here, so the API server would drop or reject it',
      ],
    },
    {
      name: 'a field in the wrong place, in a container',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.containers[0].replicas = 2;
      },
      expected: [
        'error prod Deployment/api spec.template.spec.containers[0].replicas: unknown field "replicas": the apps/v1 Deployment schema has no such field here, so the API server would drop or reject it',
      ],
    },
    {
      name: 'a misspelt field of an ApplicationSet',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'argocd', 'ApplicationSet', 'shop-previews').spec.generators[0].plugin.requeueAfterSecond = 60;
      },
      expected: [
        'error argocd ApplicationSet/shop-previews spec.generators[0].plugin.requeueAfterSecond: unknown field "requeueAfterSecond": the argoproj.io/v1alpha1 ApplicationSet schema has no such field here, so the API server would drop or reject it',
      ],
    },
    {
      name: 'a string where the schema wants an integer',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.replicas = '2';
      },
      expected: ['error prod Deployment/api spec.replicas: expected an integer, got "2"'],
    },
    {
      name: 'an int-or-string port that is neither',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Service', 'api').spec.ports[0].targetPort = true;
      },
      expected: ['error prod Service/api spec.ports[0].targetPort: expected a string or an integer, got true'],
    },
    {
      name: 'an integer out of its format',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.replicas = 5_000_000_000;
      },
      expected: ['error prod Deployment/api spec.replicas: expected a value of format "int32", got 5000000000'],
    },
    {
      name: 'a missing required field',
      breaks: (tree: FixtureTree) => {
        delete objectIn(tree, 'prod', 'Deployment', 'api').spec.selector;
      },
      expected: ['error prod Deployment/api spec.selector: required field "selector" is missing'],
    },
    {
      name: 'a value outside an enum',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Ingress', 'api').spec.rules[0].http.paths[0].pathType = 'prefix';
      },
      expected: ['error prod Ingress/api spec.rules[0].http.paths[0].pathType: expected one of "Exact", "ImplementationSpecific", "Prefix", got "prefix"'],
    },
    {
      name: 'an apiVersion the group does not serve',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').apiVersion = 'apps/v2';
      },
      expected: [
        'error prod Deployment/api apiVersion: "apps/v2" is not an apiVersion Kubernetes serves (its group serves apps/v1, apps/v1beta1, apps/v1beta2)',
      ],
    },
    {
      name: 'a misspelt kind',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'ConfigMap', 'api-config').kind = 'Configmap';
      },
      expected: ['error prod Configmap/api-config kind: v1 has no kind "Configmap"'],
    },
  ]);

  it('suggests the field meant, and the kind meant', async () => {
    const tree = healthyTree();
    objectIn(tree, 'prod', 'Deployment', 'api').spec.replica = 3;
    objectIn(tree, 'prod', 'ConfigMap', 'api-config').kind = 'Configmap';
    const fixes = (await schemaRule.check(tree, CONTEXT)).map((item) => item.fix);
    expect(fixes).toEqual(['did you mean "ConfigMap"? Correct the kind', 'did you mean "replicas"? Rename it']);
  });

  it('warns once per custom resource kind that it has no schema for, without failing', async () => {
    const tree = healthyTree();
    addObjects(
      tree,
      'prod',
      `
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: a, namespace: shop-prod }
spec: { secretName: a, dnsNames: [a.example.com], issuerRef: { name: letsencrypt } }
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: b, namespace: shop-prod }
spec: { secretNam: b }
`,
    );
    const findings = await schemaRule.check(tree, CONTEXT);
    expect(findings).toEqual([
      {
        severity: 'warning',
        rule: 'schema',
        scope: 'prod',
        kind: 'Certificate',
        name: undefined,
        path: '',
        message: 'no schema for cert-manager.io/v1 Certificate (a custom resource): the fields of its 2 object(s) were not checked',
        fix: 'make sure its CustomResourceDefinition is installed in the cluster before Argo CD syncs',
      },
    ]);
  });

  it('finds nothing wrong with valid objects of every kind the guardrails and Argo CD charts write', async () => {
    const yaml = await readFile(path.join(REPO_ROOT, 'test/fixtures/validate/valid-objects.yaml'), 'utf8');
    const objects = objectsOf(yaml);
    expect(objects.map((object) => object.kind)).toEqual(
      expect.arrayContaining(['ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Role', 'RoleBinding', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']),
    );
    expect(objects.map((object) => object.kind)).toEqual(expect.arrayContaining(['StatefulSet', 'Job', 'AppProject', 'Application', 'ApplicationSet']));
    const tree = { directory: 'gitops', findings: [], scopes: [{ name: 'x', directory: 'x', environment: true, namespace: 'x', objects }] };
    expect((await schemaRule.check(tree, CONTEXT)).map(line)).toEqual([]);
  });
});
