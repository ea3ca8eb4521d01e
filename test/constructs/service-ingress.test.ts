/** ServiceIngress, on its own: one host, every path, to one port of one service; TLS and cert-manager on request. */
import { describe, expect, it } from 'vitest';
import { ServiceIngress } from '../../src/constructs/service-ingress.ts';
import { synthConstruct } from '../support/construct-synth.ts';

const ingress = (props: Partial<ConstructorParameters<typeof ServiceIngress>[2]> = {}) =>
  synthConstruct((chart) => new ServiceIngress(chart, 'ingress', { app: 'shop', service: 'web', port: 8080, host: 'shop.example.com', ...props }));

describe('ServiceIngress', () => {
  it('routes every path of its host to the given port of the service, named after it', () => {
    const [object] = ingress();
    expect(object.kind).toBe('Ingress');
    expect(object.metadata.name).toBe('web');
    expect(object.spec.rules).toEqual([
      {
        host: 'shop.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] },
      },
    ]);
  });

  it('leaves the class and TLS to the cluster unless told, and carries no cert-manager annotation then', () => {
    const [object] = ingress();
    expect(object.spec).not.toHaveProperty('ingressClassName');
    expect(object.spec).not.toHaveProperty('tls');
    expect(object.metadata.annotations ?? {}).toEqual({});
  });

  it('serves TLS for its host with the given Secret, issued by the given ClusterIssuer', () => {
    const [object] = ingress({ ingressClassName: 'nginx', tls: { secretName: 'web-tls', clusterIssuer: 'letsencrypt' } });
    expect(object.spec.ingressClassName).toBe('nginx');
    expect(object.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'web-tls' }]);
    expect(object.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
  });

  it("serves TLS with the controller's default certificate when no Secret is named", () => {
    const [object] = ingress({ tls: {} });
    expect(object.spec.tls).toEqual([{ hosts: ['shop.example.com'] }]);
    expect(object.metadata.annotations ?? {}).toEqual({});
  });
});
