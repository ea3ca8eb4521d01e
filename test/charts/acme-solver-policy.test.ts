/** When an environment's TLS comes from a cert-manager issuer, its fence admits the ingress controller to the HTTP-01 solver. */
import { describe, expect, it } from 'vitest';
import { synthesizeTree } from '../../src/gitops/tree.ts';
import { configWith, objectsIn } from '../support/example.ts';

const solverPolicies = (edit: (data: Record<string, any>) => void, environment: string) =>
  objectsIn(synthesizeTree(configWith(edit)), `overlays/${environment}`).filter(
    (object) => object.kind === 'NetworkPolicy' && object.metadata.name === 'allow-acme-http01-solver',
  ) as any[];

describe('allow-acme-http01-solver', () => {
  it('admits the ingress controller to the solver pods on 8089 where an issuer is named, previews included', () => {
    const edit = (data: Record<string, any>) => {
      data.preview.tls = { secretName: 'pr-{{number}}-tls', clusterIssuer: 'letsencrypt' };
      data.cluster = { ingressControllerNamespace: 'traefik' };
    };
    // A preview's NetworkPolicies belong to its fence (deployed from the protected branch).
    for (const environment of ['dev', 'staging', 'prod', 'preview-fence']) {
      const [policy] = solverPolicies(edit, environment);
      expect(policy?.spec, environment).toEqual({
        podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }], ports: [{ port: 8089, protocol: 'TCP' }] }],
      });
    }
  });

  it('is left out where no issuer is named, and where the issuers solve DNS-01', () => {
    const withoutIssuer = (data: Record<string, any>) => {
      data.environments.dev.tls = { secretName: 'checkout-dev-tls' };
    };
    expect(solverPolicies(withoutIssuer, 'dev')).toEqual([]);
    expect(solverPolicies((data) => (data.cluster.certManager = { solver: 'dns01' }), 'prod')).toEqual([]);
    expect(solverPolicies(() => {}, 'preview-fence')).toEqual([]);
  });
});
