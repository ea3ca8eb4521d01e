import { describe, expect, it } from 'vitest';
import { objectReferencesRule } from '../../../src/validate/rules/object-references.ts';
import { type FixtureTree, itReportsEachBreakage, CONTEXT, addObjects, healthyTree, lines, objectIn, removeObject } from '../fixtures.ts';

const podSpec = (tree: FixtureTree) => objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec;
const container = (tree: FixtureTree) => podSpec(tree).containers[0];

describe('object-reference rule', () => {
  itReportsEachBreakage(objectReferencesRule, [
    {
      name: 'a missing ConfigMap in envFrom',
      breaks: (tree: FixtureTree) => removeObject(tree, 'prod', 'ConfigMap', 'api-config'),
      expected: [
        'error prod Deployment/api spec.template.spec.containers[0].envFrom[0].configMapRef.name: refers to ConfigMap "api-config", which is neither in prod nor declared external',
      ],
    },
    {
      name: 'a missing ServiceAccount',
      breaks: (tree: FixtureTree) => removeObject(tree, 'prod', 'ServiceAccount', 'api'),
      expected: [
        'error prod Deployment/api spec.template.spec.serviceAccountName: refers to ServiceAccount "api", which is neither in prod nor declared external',
      ],
    },
    {
      name: 'a missing Secret in an env var',
      breaks: (tree: FixtureTree) => {
        container(tree).env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }];
      },
      expected: [
        'error prod Deployment/api spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: refers to Secret "db", which is neither in prod nor declared external',
      ],
    },
    {
      name: 'missing Secrets and ConfigMaps in volumes, projected volumes, init containers and image pull secrets',
      breaks: (tree: FixtureTree) => {
        const spec = podSpec(tree);
        spec.imagePullSecrets = [{ name: 'registry' }];
        spec.volumes = [
          { name: 'tls', secret: { secretName: 'api-tls' } },
          { name: 'settings', configMap: { name: 'settings' } },
          { name: 'all', projected: { sources: [{ configMap: { name: 'extra' } }, { secret: { name: 'keys' } }] } },
        ];
        spec.initContainers = [{ name: 'wait', image: 'busybox', envFrom: [{ secretRef: { name: 'init-env' } }] }];
      },
      expected: [
        'error prod Deployment/api spec.template.spec.imagePullSecrets[0].name: refers to Secret "registry", which is neither in prod nor declared external',
        'error prod Deployment/api spec.template.spec.volumes[0].secret.secretName: refers to Secret "api-tls", which is neither in prod nor declared external',
        'error prod Deployment/api spec.template.spec.volumes[1].configMap.name: refers to ConfigMap "settings", which is neither in prod nor declared external',
        'error prod Deployment/api spec.template.spec.volumes[2].projected.sources[0].configMap.name: refers to ConfigMap "extra", which is neither in prod nor declared external',
        'error prod Deployment/api spec.template.spec.volumes[2].projected.sources[1].secret.name: refers to Secret "keys", which is neither in prod nor declared external',
        'error prod Deployment/api spec.template.spec.initContainers[0].envFrom[0].secretRef.name: refers to Secret "init-env", which is neither in prod nor declared external',
      ],
    },
    {
      name: "a RoleBinding to a ServiceAccount of the overlay's namespace that does not exist",
      breaks: (tree: FixtureTree) =>
        addObjects(
          tree,
          'prod',
          `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: deployer, namespace: shop-prod }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit }
subjects:
  - { kind: ServiceAccount, name: deployer }
  - { kind: ServiceAccount, name: argocd-application-controller, namespace: argocd }
  - { kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io }`,
        ),
      expected: ['error prod RoleBinding/deployer subjects[0].name: refers to ServiceAccount "deployer", which is neither in prod nor declared external'],
    },
  ]);

  it('accepts objects declared external, optional references, and the default ServiceAccount', async () => {
    const tree = healthyTree();
    container(tree).env = [
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'FLAG', valueFrom: { configMapKeyRef: { name: 'flags', key: 'x', optional: true } } },
    ];
    removeObject(tree, 'prod', 'ServiceAccount', 'api');
    podSpec(tree).serviceAccountName = 'default';
    const context = { ...CONTEXT, external: { ...CONTEXT.external, secrets: ['db'] } };
    expect(await lines(objectReferencesRule, tree, context)).toEqual([]);
  });

  it('accepts an object that a Job of the overlay declares it creates (dynenv.io/creates), and no other', async () => {
    const tree = healthyTree();
    container(tree).env = [
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-database', key: 'PGPASSWORD' } } },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } },
    ];
    addObjects(
      tree,
      'prod',
      `apiVersion: batch/v1
kind: Job
metadata:
  name: api-database-credentials
  annotations: { argocd.argoproj.io/hook: Sync, dynenv.io/creates: "Secret/api-database, ConfigMap/api-token" }
spec: { template: { spec: { restartPolicy: Never, containers: [{ name: create, image: busybox }] } } }`,
    );
    expect(await lines(objectReferencesRule, tree)).toEqual([
      'error prod Deployment/api spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name: refers to Secret "api-token", which is neither in prod nor declared external',
    ]);
  });

  it('tells where to declare an external object', async () => {
    const tree = healthyTree();
    removeObject(tree, 'prod', 'ConfigMap', 'api-config');
    expect((await objectReferencesRule.check(tree, CONTEXT))[0]?.fix).toBe(
      'add the ConfigMap to the overlay, or, when it is created outside gitops/ (by an operator, a Job or by hand), list it in dynenv.yaml under external.configMaps',
    );
  });
});
