import { describe, expect, it } from 'vitest';
import { readinessProbeRule, resourcesRule } from '../../../src/validate/rules/containers.ts';
import { type FixtureTree, itReportsEachBreakage, addObjects, healthyTree, lines, objectIn } from '../fixtures.ts';

const container = (tree: FixtureTree) => objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.containers[0];

const RESOURCES = '{ requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }';

describe('resources rule', () => {
  itReportsEachBreakage(resourcesRule, [
    {
      name: 'a container without resources',
      breaks: (tree: FixtureTree) => {
        delete container(tree).resources;
      },
      expected: [
        'error prod Deployment/api spec.template.spec.containers[0].resources: container "api" does not set requests.cpu, requests.memory, limits.memory',
      ],
    },
    {
      name: 'a container without a memory limit',
      breaks: (tree: FixtureTree) => {
        container(tree).resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1' } };
      },
      expected: ['error prod Deployment/api spec.template.spec.containers[0].resources: container "api" does not set limits.memory'],
    },
    {
      name: 'an init container without requests',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.initContainers = [
          { name: 'wait', image: 'busybox', resources: { limits: { memory: '16Mi' } } },
        ];
      },
      expected: ['error prod Deployment/api spec.template.spec.initContainers[0].resources: init container "wait" does not set requests.cpu, requests.memory'],
    },
    {
      name: "a CronJob's container without resources",
      breaks: (tree: FixtureTree) =>
        addObjects(
          tree,
          'prod',
          `apiVersion: batch/v1
kind: CronJob
metadata: { name: cleanup, namespace: shop-prod }
spec:
  schedule: '0 3 * * *'
  jobTemplate: { spec: { template: { spec: { restartPolicy: Never, containers: [{ name: cleanup, image: busybox }] } } } }`,
        ),
      expected: [
        'error prod CronJob/cleanup spec.jobTemplate.spec.template.spec.containers[0].resources: container "cleanup" does not set requests.cpu, requests.memory, limits.memory',
      ],
    },
  ]);
});

describe('readiness-probe rule', () => {
  itReportsEachBreakage(readinessProbeRule, [
    {
      name: 'a Deployment container without a readiness probe',
      breaks: (tree: FixtureTree) => {
        delete container(tree).readinessProbe;
      },
      expected: [
        'error prod Deployment/api spec.template.spec.containers[0].readinessProbe: container "api" has no readiness probe: it gets traffic, and counts as available in a rollout, as soon as it starts',
      ],
    },
    {
      name: 'a sidecar (an init container that keeps running) without a readiness probe',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.initContainers = [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }];
      },
      expected: [
        'error prod Deployment/api spec.template.spec.initContainers[0].readinessProbe: sidecar container "proxy" has no readiness probe: it gets traffic, and counts as available in a rollout, as soon as it starts',
      ],
    },
    {
      name: 'an init container with a readiness probe, which the API server rejects',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.initContainers = [
          { name: 'wait', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } },
        ];
      },
      expected: [
        'error prod Deployment/api spec.template.spec.initContainers[0].readinessProbe: init container "wait" has a readiness probe, which the API server rejects on an init container that is not a sidecar',
      ],
    },
    {
      name: 'a StatefulSet container without a readiness probe',
      breaks: (tree: FixtureTree) =>
        addObjects(
          tree,
          'prod',
          `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop-prod }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: postgres, image: postgres, resources: ${RESOURCES} }] }`,
        ),
      expected: [
        'error prod StatefulSet/db spec.template.spec.containers[0].readinessProbe: container "postgres" has no readiness probe: it gets traffic, and counts as available in a rollout, as soon as it starts',
      ],
    },
  ]);

  it('asks no readiness probe of a Job, a run-to-completion Pod, or an init container', async () => {
    const tree = healthyTree();
    objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec.initContainers = [{ name: 'wait', image: 'busybox' }];
    addObjects(
      tree,
      'prod',
      `apiVersion: batch/v1
kind: Job
metadata: { name: migrate, namespace: shop-prod }
spec: { template: { spec: { restartPolicy: Never, containers: [{ name: migrate, image: api, resources: ${RESOURCES} }] } } }
---
apiVersion: v1
kind: Pod
metadata: { name: smoke-test, namespace: shop-prod }
spec: { restartPolicy: Never, containers: [{ name: curl, image: curl, resources: ${RESOURCES} }] }`,
    );
    expect(await lines(readinessProbeRule, tree)).toEqual([]);
  });

  it('asks none of a workload that declares, with a reason, that it serves no traffic; an empty reason does not count', async () => {
    const tree = healthyTree();
    const deployment = objectIn(tree, 'prod', 'Deployment', 'api');
    delete deployment.spec.template.spec.containers[0].readinessProbe;
    deployment.metadata.annotations = { 'ignore-check.dynenv.io/readiness-probe': 'a load generator: serves no traffic' };
    expect(await lines(readinessProbeRule, tree)).toEqual([]);
    deployment.metadata.annotations = { 'ignore-check.dynenv.io/readiness-probe': ' ' };
    expect(await lines(readinessProbeRule, tree)).toHaveLength(1);
  });
});
