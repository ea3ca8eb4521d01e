import { describe, expect, it } from 'vitest';
import { ingressBackendsRule } from '../../../src/validate/rules/ingress-backends.ts';
import { type FixtureTree, itReportsEachBreakage, CONTEXT, healthyTree, lines, objectIn, removeObject } from '../fixtures.ts';

const backend = (tree: FixtureTree) => objectIn(tree, 'prod', 'Ingress', 'api').spec.rules[0].http.paths[0].backend.service;

describe('ingress-backend rule', () => {
  itReportsEachBreakage(ingressBackendsRule, [
    {
      name: 'a backend naming a Service that is not in the overlay',
      breaks: (tree: FixtureTree) => {
        backend(tree).name = 'web';
      },
      expected: ['error prod Ingress/api spec.rules[0].http.paths[0].backend.service.name: names Service "web", which is not in prod'],
    },
    {
      name: "a backend port number the Service does not expose (the container's port)",
      breaks: (tree: FixtureTree) => {
        backend(tree).port = { number: 8080 };
      },
      expected: [
        'error prod Ingress/api spec.rules[0].http.paths[0].backend.service.port.number: asks for port 8080 of Service "api", which exposes 80 (http)',
      ],
    },
    {
      name: 'a backend port name the Service does not have',
      breaks: (tree: FixtureTree) => {
        backend(tree).port = { name: 'https' };
      },
      expected: [
        'error prod Ingress/api spec.rules[0].http.paths[0].backend.service.port.name: asks for port "https" of Service "api", which exposes 80 (http)',
      ],
    },
    {
      name: 'a default backend naming a missing Service',
      breaks: (tree: FixtureTree) => {
        objectIn(tree, 'prod', 'Ingress', 'api').spec.defaultBackend = { service: { name: 'fallback', port: { number: 80 } } };
      },
      expected: ['error prod Ingress/api spec.defaultBackend.service.name: names Service "fallback", which is not in prod'],
    },
  ]);

  it('accepts a port given by the name of the Service port', async () => {
    const tree = healthyTree();
    backend(tree).port = { name: 'http' };
    expect(await lines(ingressBackendsRule, tree)).toEqual([]);
  });

  it("tells what to do: the overlay's Services, or adding one", async () => {
    const tree = healthyTree();
    backend(tree).name = 'web';
    expect((await ingressBackendsRule.check(tree, CONTEXT))[0]?.fix).toBe("name one of the overlay's Services (api), or add the Service");
    removeObject(tree, 'prod', 'Service', 'api');
    expect((await ingressBackendsRule.check(tree, CONTEXT))[0]?.fix).toBe('add the Service to the overlay');
  });
});
