import { describe, expect, it } from 'vitest';
import { capabilitiesRule, hostNamespacesRule, hostPathRule, privilegedRule } from '../../../src/validate/rules/privileges.ts';
import { CONTEXT, type FixtureTree, healthyTree, itReportsEachBreakage, addObjects, lines, objectIn } from '../fixtures.ts';

const podSpec = (tree: FixtureTree) => objectIn(tree, 'prod', 'Deployment', 'api').spec.template.spec;

describe('privileged rule', () => {
  itReportsEachBreakage(privilegedRule, [
    {
      name: 'a privileged container',
      breaks: (tree) => {
        podSpec(tree).containers[0].securityContext = { privileged: true };
      },
      expected: [
        'error prod Deployment/api spec.template.spec.containers[0].securityContext.privileged: container "api" is privileged: it can do anything the node can',
      ],
    },
    {
      name: 'a privileged init container of a Job in another scope',
      breaks: (tree) => {
        addObjects(
          tree,
          'argocd',
          'apiVersion: batch/v1\nkind: Job\nmetadata: { name: setup, namespace: argocd }\nspec:\n  template:\n    spec:\n      initContainers: [{ name: prepare, image: busybox, securityContext: { privileged: true } }]\n      containers: [{ name: main, image: busybox }]',
        );
      },
      expected: [
        'error argocd Job/setup spec.template.spec.initContainers[0].securityContext.privileged: container "prepare" is privileged: it can do anything the node can',
      ],
    },
  ]);
});

describe('host-namespaces rule', () => {
  itReportsEachBreakage(hostNamespacesRule, [
    {
      name: 'hostPID, hostIPC and hostNetwork',
      breaks: (tree) => Object.assign(podSpec(tree), { hostPID: true, hostIPC: true, hostNetwork: true }),
      expected: [
        "error prod Deployment/api spec.template.spec.hostPID: hostPID: true shares the node's processes with the pod",
        "error prod Deployment/api spec.template.spec.hostIPC: hostIPC: true shares the node's shared memory with the pod",
        "error prod Deployment/api spec.template.spec.hostNetwork: hostNetwork: true shares the node's network interfaces with the pod",
      ],
    },
    {
      name: 'nothing for hostPID: false',
      breaks: (tree) => Object.assign(podSpec(tree), { hostPID: false }),
      expected: [],
    },
  ]);
});

describe('host-path rule', () => {
  itReportsEachBreakage(hostPathRule, [
    {
      name: 'a hostPath volume',
      breaks: (tree) => {
        podSpec(tree).volumes = [
          { name: 'tmp', emptyDir: {} },
          { name: 'root', hostPath: { path: '/' } },
        ];
      },
      expected: ['error prod Deployment/api spec.template.spec.volumes[1].hostPath: volume "root" mounts the node\'s "/"'],
    },
  ]);
});

describe('capabilities rule', () => {
  itReportsEachBreakage(capabilitiesRule, [
    {
      name: 'capabilities added beyond NET_BIND_SERVICE, in either spelling',
      breaks: (tree) => {
        podSpec(tree).containers[0].securityContext = { capabilities: { add: ['NET_BIND_SERVICE', 'SYS_ADMIN', 'CAP_NET_RAW'] } };
      },
      expected: ['error prod Deployment/api spec.template.spec.containers[0].securityContext.capabilities.add: container "api" adds SYS_ADMIN, CAP_NET_RAW'],
    },
    {
      name: 'nothing for NET_BIND_SERVICE alone (also as CAP_NET_BIND_SERVICE), nor for dropped capabilities',
      breaks: (tree) => {
        podSpec(tree).containers[0].securityContext = { capabilities: { add: ['CAP_NET_BIND_SERVICE'], drop: ['ALL'] } };
      },
      expected: [],
    },
  ]);
});

describe('an environment dynenv.yaml configures "privileged"', () => {
  it('has its privileged containers reported as warnings, and every other environment still as errors', async () => {
    const tree = healthyTree();
    podSpec(tree).containers[0].securityContext = { privileged: true };
    expect(await lines(privilegedRule, tree, { ...CONTEXT, podSecurity: { prod: 'privileged' } })).toEqual([
      'warning prod Deployment/api spec.template.spec.containers[0].securityContext.privileged: container "api" is privileged: it can do anything the node can (admitted: environments.prod.podSecurity is "privileged")',
    ]);
    expect(await lines(privilegedRule, tree, { ...CONTEXT, podSecurity: { prod: 'baseline' } })).toEqual([
      'error prod Deployment/api spec.template.spec.containers[0].securityContext.privileged: container "api" is privileged: it can do anything the node can',
    ]);
  });

  it('but not a preview: its admission policies refuse privileged pods whatever its level', async () => {
    const tree = healthyTree();
    podSpec(tree).containers[0].securityContext = { privileged: true };
    tree.scopes[0] = { ...tree.scopes[0]!, name: 'preview' };
    const [found] = await lines(privilegedRule, tree, { ...CONTEXT, podSecurity: { preview: 'privileged' } });
    expect(found).toMatch(/^error preview Deployment\/api /);
  });
});
