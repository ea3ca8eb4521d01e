/** The evaluator the platform tests rely on, held to the NetworkPolicy semantics case by case. */
import { describe, expect, it } from 'vitest';
import { inBlock, NetworkPolicyEvaluator, selectorMatches, type ModelNetworkPolicy, type ModelPod } from './network-policy-evaluator.ts';

const pod = (namespace: string, name: string, labels: Record<string, string>, ip: string, ports: ModelPod['ports'] = []): ModelPod => ({
  namespace,
  name,
  labels,
  ip,
  ports,
});
const web = pod('shop', 'web', { app: 'web' }, '10.0.0.1', [{ name: 'http', containerPort: 8080 }]);
const api = pod('shop', 'api', { app: 'api' }, '10.0.0.2', [
  { name: 'http', containerPort: 9000 },
  { name: 'dns', containerPort: 5353, protocol: 'UDP' },
]);
const other = pod('other', 'intruder', { app: 'web' }, '10.0.1.1');
const monitor = pod('monitoring', 'prometheus', { app: 'prometheus' }, '10.0.2.1');
const namespaces = [{ name: 'shop' }, { name: 'other', labels: { team: 'x' } }, { name: 'monitoring', labels: { team: 'ops' } }];
const policy = (name: string, spec: ModelNetworkPolicy['spec'], namespace = 'shop'): ModelNetworkPolicy => ({ metadata: { name, namespace }, spec });
const evaluator = (...policies: ModelNetworkPolicy[]) => new NetworkPolicyEvaluator(namespaces, policies);
const to = (target: ModelPod) => ({ pod: target });

describe('isolation', () => {
  it('allows everything when no policy selects a pod', () => {
    const cluster = evaluator(policy('only-api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] }));
    expect(cluster.allows(to(other), to(web), 1234)).toBe(true);
    expect(cluster.allows(to(web), { ip: '8.8.8.8' }, 53, 'UDP')).toBe(true);
  });

  it('isolates only the directions in policyTypes', () => {
    const cluster = evaluator(policy('deny-in', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(cluster.allows(to(other), to(web), 8080)).toBe(false);
    expect(cluster.allows(to(web), to(other), 8080)).toBe(true);
  });

  it('infers policy types: Ingress always, Egress when the policy has egress rules', () => {
    const noTypes = evaluator(policy('empty', { podSelector: {} }));
    expect(noTypes.allows(to(other), to(web), 8080)).toBe(false);
    expect(noTypes.allows(to(web), { ip: '1.1.1.1' }, 443)).toBe(true);
    const withEgress = evaluator(policy('egress', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '1.1.1.1/32' } }] }] }));
    expect(withEgress.allows(to(web), { ip: '1.1.1.1' }, 443)).toBe(true);
    expect(withEgress.allows(to(web), { ip: '1.0.0.1' }, 443)).toBe(false);
    expect(withEgress.allows(to(other), to(web), 8080)).toBe(false);
  });

  it('takes the union of every policy that selects the pod', () => {
    const cluster = evaluator(
      policy('deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      policy('from-other', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] }),
      policy('from-ops', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }] }),
    );
    expect(cluster.allows(to(other), to(web), 1)).toBe(true);
    expect(cluster.allows(to(monitor), to(web), 1)).toBe(true);
    expect(cluster.allows({ ip: '192.0.2.1' }, to(web), 1)).toBe(false);
  });

  it('needs both ends: the source egress and the destination ingress', () => {
    const allowIn = policy('in', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] });
    const denyOut = policy('out', { podSelector: {}, policyTypes: ['Egress'] }, 'other');
    expect(evaluator(allowIn).allows(to(other), to(web), 80)).toBe(true);
    expect(evaluator(allowIn, denyOut).allows(to(other), to(web), 80)).toBe(false);
    const allowOut = policy('out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] }, 'other');
    const denyIn = policy('in', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(evaluator(allowOut, denyIn).allows(to(other), to(web), 80)).toBe(false);
    expect(evaluator(allowOut).allows(to(other), to(web), 80)).toBe(true);
  });

  it('applies a policy only to pods of its own namespace', () => {
    const cluster = evaluator(policy('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'other'));
    expect(cluster.allows(to(web), to(api), 9000)).toBe(true);
    expect(cluster.allows(to(web), to(other), 80)).toBe(false);
  });
});

describe('peers', () => {
  const ingressFrom = (...from: NonNullable<ModelNetworkPolicy['spec']['ingress']>[number]['from'] & object) =>
    evaluator(policy('p', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from }] }));

  it('reads a pod selector alone as pods of the policy namespace', () => {
    const cluster = ingressFrom({ podSelector: { matchLabels: { app: 'web' } } });
    expect(cluster.allows(to(web), to(api), 9000)).toBe(true);
    expect(cluster.allows(to(other), to(api), 9000)).toBe(false);
  });

  it('reads a namespace selector alone as every pod of the matching namespaces', () => {
    const cluster = ingressFrom({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } });
    expect(cluster.allows(to(other), to(api), 9000)).toBe(true);
    expect(cluster.allows(to(web), to(api), 9000)).toBe(false);
  });

  it('ANDs the two selectors of one peer and ORs separate peers', () => {
    const and = ingressFrom({ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'web' } } });
    expect(and.allows(to(monitor), to(api), 9000)).toBe(false);
    expect(and.allows(to(other), to(api), 9000)).toBe(false);
    const or = ingressFrom({ namespaceSelector: { matchLabels: { team: 'ops' } } }, { podSelector: { matchLabels: { app: 'web' } } });
    expect(or.allows(to(monitor), to(api), 9000)).toBe(true);
    expect(or.allows(to(web), to(api), 9000)).toBe(true);
    expect(or.allows(to(other), to(api), 9000)).toBe(false);
  });

  it('matches an ipBlock on the address, minus its exceptions, pods included', () => {
    const cluster = ingressFrom({ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } });
    expect(cluster.allows(to(web), to(api), 9000)).toBe(true);
    expect(cluster.allows(to(other), to(api), 9000)).toBe(false);
    expect(cluster.allows({ ip: '10.0.200.7' }, to(api), 9000)).toBe(true);
    expect(cluster.allows({ ip: '10.1.0.1' }, to(api), 9000)).toBe(false);
  });

  it('never matches an address (a host-network pod, a load balancer) by selector', () => {
    const cluster = ingressFrom({ namespaceSelector: {} });
    expect(cluster.allows(to(other), to(api), 9000)).toBe(true);
    expect(cluster.allows({ ip: '169.254.20.10' }, to(api), 9000)).toBe(false);
  });

  it('treats an absent or empty from as every source', () => {
    expect(ingressFrom().allows({ ip: '203.0.113.9' }, to(api), 9000)).toBe(true);
    const absent = evaluator(policy('p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 9000 }] }] }));
    expect(absent.allows({ ip: '203.0.113.9' }, to(api), 9000)).toBe(true);
  });

  it('refuses malformed peers instead of guessing', () => {
    expect(() => ingressFrom({}).allows(to(web), to(api), 9000)).toThrow(/neither ipBlock nor a selector/);
    expect(() => ingressFrom({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }).allows(to(web), to(api), 9000)).toThrow(/ipBlock and a selector/);
  });
});

describe('ports and protocols', () => {
  const egressPorts = (ports: NonNullable<ModelNetworkPolicy['spec']['egress']>[number]['ports']) =>
    evaluator(policy('p', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports }] }));

  it('defaults the protocol to TCP and keeps protocols apart', () => {
    const cluster = egressPorts([{ port: 53 }]);
    expect(cluster.allows(to(web), { ip: '10.9.9.9' }, 53, 'TCP')).toBe(true);
    expect(cluster.allows(to(web), { ip: '10.9.9.9' }, 53, 'UDP')).toBe(false);
    expect(egressPorts([{ port: 53, protocol: 'UDP' }]).allows(to(web), { ip: '10.9.9.9' }, 53, 'UDP')).toBe(true);
  });

  it('reads port with endPort as an inclusive range', () => {
    const cluster = egressPorts([{ port: 32000, endPort: 32768 }]);
    expect([31999, 32000, 32768, 32769].map((port) => cluster.allows(to(web), { ip: '10.9.9.9' }, port))).toEqual([false, true, true, false]);
  });

  it('reads a port entry without a port as every port of its protocol, and no ports as all', () => {
    expect(egressPorts([{ protocol: 'UDP' }]).allows(to(web), { ip: '10.9.9.9' }, 9999, 'UDP')).toBe(true);
    expect(egressPorts([{ protocol: 'UDP' }]).allows(to(web), { ip: '10.9.9.9' }, 9999, 'TCP')).toBe(false);
    expect(egressPorts([]).allows(to(web), { ip: '10.9.9.9' }, 9999, 'SCTP')).toBe(true);
  });

  it('resolves a named egress port on the destination pod, and never on an address', () => {
    const cluster = egressPorts([{ port: 'dns', protocol: 'UDP' }]);
    expect(cluster.allows(to(web), to(api), 5353, 'UDP')).toBe(true);
    expect(cluster.allows(to(web), to(api), 53, 'UDP')).toBe(false);
    expect(cluster.allows(to(web), { ip: '10.9.9.9' }, 5353, 'UDP')).toBe(false);
  });

  it('resolves a named ingress port on the isolated pod itself', () => {
    const cluster = evaluator(policy('p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http' }] }] }));
    expect(cluster.allows(to(other), to(web), 8080)).toBe(true);
    expect(cluster.allows(to(other), to(api), 9000)).toBe(true);
    expect(cluster.allows(to(other), to(api), 8080)).toBe(false);
  });

  it('refuses endPort with a named port or below port', () => {
    expect(() => egressPorts([{ port: 'dns', endPort: 60 }]).allows(to(web), { ip: '1.1.1.1' }, 53)).toThrow(/named port/);
    expect(() => egressPorts([{ port: 60, endPort: 50 }]).allows(to(web), { ip: '1.1.1.1' }, 55)).toThrow(/below port/);
  });
});

describe('label selectors', () => {
  const labels = { app: 'api', tier: 'back' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'api' } }, true],
    [{ matchLabels: { app: 'api', tier: 'front' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'missing', operator: 'In', values: ['x'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
  ])('%j → %s', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

describe('address blocks', () => {
  it.each([
    ['169.254.20.10', '169.254.20.10/32', true],
    ['169.254.20.11', '169.254.20.10/32', false],
    ['35.191.4.5', '35.191.0.0/16', true],
    ['fd00:ec2::254', 'fd00:ec2::254/128', true],
    ['fd00:ec2::254', '0.0.0.0/0', false],
    ['10.0.0.1', '::/0', false],
  ])('%s in %s: %s', (ip, cidr, expected) => {
    expect(inBlock(ip, cidr)).toBe(expected);
  });
});
