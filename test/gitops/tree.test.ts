import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { synthesizeTree } from '../../src/gitops/tree.ts';
import { exampleConfig, exampleTree, objectAt } from '../support/example.ts';

describe('synthesizeTree', () => {
  it('lays out one base folder per service and one overlay per environment', async () => {
    const files = [...(await exampleTree()).keys()];
    expect(files.filter((file) => file.startsWith('base/api/'))).toEqual([
      'base/api/configmap.yaml',
      'base/api/deployment.yaml',
      'base/api/kustomization.yaml',
      'base/api/service.yaml',
      'base/api/serviceaccount.yaml',
    ]);
    expect(files).toContain('base/kustomization.yaml');
    for (const environment of ['dev', 'staging', 'prod', 'preview']) {
      expect(files).toContain(`overlays/${environment}/kustomization.yaml`);
      expect(files).toContain(`overlays/${environment}/patches/deployment-api.yaml`);
    }
    // A preview's Namespace is part of its fence, deployed from the protected branch.
    for (const folder of ['dev', 'staging', 'prod', 'preview-fence']) expect(files).toContain(`overlays/${folder}/namespace.yaml`);
    expect(files).not.toContain('overlays/preview/namespace.yaml');
  });

  it('builds each overlay on the base, in its own namespace, labelled with its environment', async () => {
    const tree = await exampleTree();
    expect(objectAt(tree, 'base/kustomization.yaml')).toMatchObject({ resources: ['api', 'web', 'worker'] });
    for (const [environment, namespace] of [
      ['dev', 'checkout-dev'],
      ['staging', 'checkout-staging'],
      ['prod', 'checkout-prod'],
    ] as const) {
      const kustomization = objectAt(tree, `overlays/${environment}/kustomization.yaml`);
      expect(kustomization).toMatchObject({ namespace, resources: expect.arrayContaining(['../../base/api', '../../base/web', '../../base/worker', 'namespace.yaml']) });
      expect(kustomization.labels).toEqual([{ pairs: { 'dynenv.io/environment': environment }, includeSelectors: false, includeTemplates: true }]);
      expect(objectAt(tree, `overlays/${environment}/namespace.yaml`).metadata).toMatchObject({ name: namespace, labels: { 'dynenv.io/environment': environment } });
    }
  });

  it('pins dev to its tag and staging and prod to digests', async () => {
    const tree = await exampleTree();
    const config = await exampleConfig();
    expect(objectAt(tree, 'overlays/dev/kustomization.yaml').images).toEqual(
      config.services.map((service) => ({ name: service.image, newTag: 'main' })),
    );
    for (const environment of ['staging', 'prod'] as const) {
      expect(objectAt(tree, `overlays/${environment}/kustomization.yaml`).images).toEqual(
        config.services.map((service) => ({ name: service.image, digest: config.environments[environment].services[service.name]!.digest })),
      );
    }
  });

  it('patches replicas, resources and env per environment, with most specific settings winning', async () => {
    const tree = await exampleTree();
    const prodWorker = objectAt(tree, 'overlays/prod/patches/deployment-worker.yaml') as any;
    expect(prodWorker.spec.replicas).toBe(2); // services.worker.replicas beats the environment's 3
    expect(prodWorker.spec.template.spec.containers).toEqual([
      { name: 'worker', resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } } },
    ]);
    expect((objectAt(tree, 'overlays/prod/patches/deployment-web.yaml') as any).spec.replicas).toBe(3);
    // api autoscales in prod: the patch deletes replicas (null), so that Argo CD leaves them to the autoscaler.
    expect((objectAt(tree, 'overlays/prod/patches/deployment-api.yaml') as any).spec.replicas).toBeNull();
    expect((objectAt(tree, 'overlays/staging/patches/deployment-api.yaml') as any).spec.replicas).toBe(2);
    // The service's own env, then the environment's.
    expect((objectAt(tree, 'overlays/dev/patches/configmap-api-config.yaml') as any).data).toEqual({ HTTP_PORT: '8080', LOG_LEVEL: 'debug' });
    expect((objectAt(tree, 'overlays/prod/patches/configmap-api-config.yaml') as any).data).toEqual({ HTTP_PORT: '8080', LOG_LEVEL: 'warn' });
  });

  it('rolls the pods when an environment variable changes', async () => {
    const config = await exampleConfig();
    const hash = (tree: ReturnType<typeof synthesizeTree>) =>
      (objectAt(tree, 'overlays/dev/patches/deployment-api.yaml') as any).spec.template.metadata.annotations['dynenv.io/config-hash'];
    const before = hash(synthesizeTree(config));
    config.environments.dev.env.LOG_LEVEL = 'trace';
    expect(hash(synthesizeTree(config))).not.toBe(before);
  });

  it('routes the ingress host of each environment to the service marked ingress', async () => {
    const tree = await exampleTree();
    const ingress = objectAt(tree, 'overlays/staging/ingress.yaml') as any;
    expect(ingress.metadata.name).toBe('web');
    expect(ingress.spec.rules).toEqual([
      {
        host: 'checkout.staging.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
      },
    ]);
  });

  it('pins no third-party image, runs the own tag of an image built here until an environment pins one, and routes to the "http" port', () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const tree = synthesizeTree(
      parseConfig(`app: shop
services:
  - name: web
    image: ghcr.io/acme/web:v1
    builtHere: true
    ports: [{ name: grpc, containerPort: 7070 }, { name: http, containerPort: 8080, port: 8000 }]
    healthPath: /
    ingress: true
  - name: cache
    image: redis:7.4
    ports: [{ name: redis, containerPort: 6379 }]
    probes: { readiness: { tcp: { port: redis } } }
environments:
  dev: { host: shop.dev.example.com }
  prod: { services: { web: { digest: "${digest}" } } }
`),
    );
    expect(objectAt(tree, 'overlays/dev/kustomization.yaml').images).toBeUndefined();
    expect(objectAt(tree, 'overlays/staging/kustomization.yaml').images).toBeUndefined();
    expect(objectAt(tree, 'overlays/prod/kustomization.yaml').images).toEqual([{ name: 'ghcr.io/acme/web', digest }]);
    expect((objectAt(tree, 'base/web/deployment.yaml') as any).spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:v1');
    expect((objectAt(tree, 'base/cache/deployment.yaml') as any).spec.template.spec.containers[0].image).toBe('docker.io/library/redis:7.4');
    const backend = (objectAt(tree, 'overlays/dev/ingress.yaml') as any).spec.rules[0].http.paths[0].backend;
    expect(backend).toEqual({ service: { name: 'web', port: { number: 8000 } } });
    const fromController = (objectAt(tree, 'overlays/dev/networkpolicy-allow-from-ingress-controller.yaml') as any).spec.ingress[0];
    expect(fromController.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
  });

  it('writes every file with the header that says where it comes from', async () => {
    for (const [file, text] of await exampleTree()) {
      expect(text, file).toMatch(/^# Synthesized by dynenv from dynenv.yaml/);
    }
  });

  it('is deterministic and independent of the order of env keys', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const text = (env: string) =>
      `app: shop\nservices:\n  - name: api\n    image: ghcr.io/acme/api\n    healthCommand: [x]\n    env: ${env}\nenvironments:\n  dev: { imageTag: main }\n  staging: { services: { api: { digest: "${digest}" } } }\n  prod: { services: { api: { digest: "${digest}" } } }\n`;
    const first = synthesizeTree(parseConfig(text('{ A: "1", B: "2" }')));
    const second = synthesizeTree(parseConfig(text('{ B: "2", A: "1" }')));
    expect([...second]).toEqual([...first]);
  });
});
