/** The guardrail constructs with the options the bundled example does not use. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS } from '../../src/config/resolve-guardrails.ts';
import { EnvironmentAccess } from '../../src/constructs/environment-access.ts';
import { EnvironmentNamespace } from '../../src/constructs/environment-namespace.ts';
import { EnvironmentQuota } from '../../src/constructs/environment-quota.ts';
import { NetworkIsolation } from '../../src/constructs/network-isolation.ts';
import { synthConstruct as synth } from '../support/construct-synth.ts';

describe('EnvironmentNamespace', () => {
  it('enforces the configured Pod Security level and keeps only what it is told to on deletion', () => {
    const [namespace] = synth((chart) => new EnvironmentNamespace(chart, 'ns', { app: 'shop', environment: 'dev', name: 'shop-dev', podSecurity: 'baseline' }));
    expect(namespace.metadata.labels).toMatchObject({
      'dynenv.io/owner': 'shop',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'baseline',
    });
    expect(namespace.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-20' });
  });
});

describe('EnvironmentQuota', () => {
  it('adds a CPU limit to the quota only when one is configured', () => {
    const limitRange = { defaultRequests: { cpu: '100m', memory: '128Mi' }, defaultLimits: { memory: '256Mi' }, max: {} };
    const [quota, limits] = synth(
      (chart) => new EnvironmentQuota(chart, 'q', { app: 'shop', quota: { ...DEFAULT_QUOTAS.dev, limits: { cpu: '8', memory: '16Gi' } }, limitRange }),
    );
    expect(quota.spec.hard['limits.cpu']).toBe('8');
    expect(limits.spec.limits[0]).not.toHaveProperty('max');
    const [withoutCpu] = synth((chart) => new EnvironmentQuota(chart, 'q', { app: 'shop', quota: DEFAULT_QUOTAS.dev, limitRange }));
    expect(withoutCpu.spec.hard).not.toHaveProperty('limits.cpu');
  });
});

describe('NetworkIsolation', () => {
  it('writes no ingress-controller or egress policy when there is nothing to admit', () => {
    const policies = synth(
      (chart) =>
        new NetworkIsolation(chart, 'n', {
          app: 'shop',
          dns: { peers: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }], ports: [53] },
          ingressFrom: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'traefik' } }],
          egress: { everyPod: [], services: [] },
        }),
    );
    expect(policies.map((policy) => policy.metadata.name)).toEqual(['default-deny', 'allow-same-namespace', 'allow-dns']);
  });
});

describe('EnvironmentAccess', () => {
  it('binds nobody when no group or ServiceAccount is configured', () => {
    expect(synth((chart) => new EnvironmentAccess(chart, 'a', { app: 'shop', environment: 'dev', access: { developers: [], sre: [], security: [] } }))).toEqual(
      [],
    );
  });
});
