import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap } from 'kubernetes-models/v1';
import { Application, AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { describe, expect, it } from 'vitest';
import { checkAgainstSchema } from '../../src/validate/schema-validation.ts';
import { objectIn, healthyTree } from './fixtures.ts';

const validateDeployment = Deployment.prototype.validate;

describe('checkAgainstSchema', () => {
  it('finds nothing wrong with a valid Deployment', () => {
    expect(checkAgainstSchema(objectIn(healthyTree(), 'prod', 'Deployment', 'api'), validateDeployment)).toEqual({ violations: [], unknownFields: [] });
  });

  it('reports a field the schema does not declare, at any depth, with the fields it does declare there', () => {
    const deployment = objectIn(healthyTree(), 'prod', 'Deployment', 'api');
    deployment.spec.replica = 3;
    deployment.spec.template.spec.containers[0].readinesProbe = {};
    const { unknownFields, violations } = checkAgainstSchema(deployment, validateDeployment);
    expect(violations).toEqual([]);
    expect(unknownFields.map((field) => field.path)).toEqual([
      ['spec', 'replica'],
      ['spec', 'template', 'spec', 'containers', 0, 'readinesProbe'],
    ]);
    expect(unknownFields[0]!.known).toEqual(expect.arrayContaining(['replicas', 'selector', 'strategy', 'template']));
    expect(unknownFields[1]!.known).toEqual(expect.arrayContaining(['readinessProbe', 'resources', 'image']));
  });

  it("does not report the keys of maps (labels, a ConfigMap's data)", () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { anything: 'goes' } }, data: { ANY_KEY: 'v' } };
    expect(checkAgainstSchema(configMap, ConfigMap.prototype.validate).unknownFields).toEqual([]);
  });

  it("does not report the keys of free-form objects (an Application's Helm valuesObject)", () => {
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'x' },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc', namespace: 'x' },
        source: { repoURL: 'https://example.com/r.git', chart: 'c', helm: { valuesObject: { replicaCount: 2, any: { nested: true } } } },
      },
    };
    expect(checkAgainstSchema(application, Application.prototype.validate)).toEqual({ violations: [], unknownFields: [] });
  });

  it('reports violations with their path, list indexes as numbers', () => {
    const deployment = objectIn(healthyTree(), 'prod', 'Deployment', 'api');
    deployment.spec.replicas = '3';
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    delete deployment.spec.selector;
    const { violations } = checkAgainstSchema(deployment, validateDeployment);
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['spec'], keyword: 'required', params: { missingProperty: 'selector' } }),
        expect.objectContaining({ path: ['spec', 'replicas'], keyword: 'type', params: { type: 'integer' } }),
        expect.objectContaining({ path: ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'], keyword: 'type' }),
      ]),
    );
  });

  it('leaves the object as it was', () => {
    const deployment = objectIn(healthyTree(), 'prod', 'Deployment', 'api');
    const before = structuredClone(deployment);
    checkAgainstSchema(deployment, validateDeployment);
    expect(deployment).toEqual(before);
  });
});

describe('checkAgainstSchema on the properties its validators do not read', () => {
  it('takes description and x-kubernetes-* keys as known: the generated validators strip those names', () => {
    const project = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'shop' },
      spec: { description: 'the shop', sourceRepos: ['*'], roles: [{ name: 'ci', description: 'CI', policies: [] }] },
    };
    expect(checkAgainstSchema(project, AppProject.prototype.validate).unknownFields).toEqual([]);
  });
});
