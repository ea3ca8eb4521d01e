import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_NAMES } from '../../src/config/schema.ts';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { exampleConfig } from '../support/example.ts';
import { exampleWorkspace } from '../support/workspace.ts';

// The tree as synthesized from the example, rendered by the real Kustomize (kubectl kustomize).
const rendered = new Map<string, KubernetesObject[]>();
beforeAll(async () => {
  const dir = await exampleWorkspace();
  await synthesize({ configFile: path.join(dir, 'dynenv.yaml'), outDir: path.join(dir, 'gitops') });
  await Promise.all(
    [...ENVIRONMENT_NAMES, 'preview-fence'].map(async (folder) => rendered.set(folder, await kustomizeBuild(path.join(dir, 'gitops/overlays', folder)))),
  );
});

const names = (objects: KubernetesObject[]) => objects.map((object) => `${object.kind}/${object.metadata.name}`).sort();

describe('kubectl kustomize on every overlay', () => {
  it.each(['dev', 'staging', 'prod'] as const)('renders %s with the workloads of every service in its namespace', async (environment) => {
    const objects = rendered.get(environment)!;
    expect(names(objects)).toEqual(
      expect.arrayContaining([
        'ConfigMap/api-config',
        'ConfigMap/web-config',
        'ConfigMap/worker-config',
        'Deployment/api',
        'Deployment/web',
        'Deployment/worker',
        `Namespace/checkout-${environment}`,
        'Service/api',
        'Service/web',
        'ServiceAccount/api',
        'ServiceAccount/web',
        'ServiceAccount/worker',
        'Ingress/web',
      ]),
    );
    for (const object of objects.filter((candidate) => candidate.kind !== 'Namespace')) {
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(`checkout-${environment}`);
    }
  });

  it('applies the environment patches to the base', () => {
    const deployment = (environment: string, name: string) =>
      rendered.get(environment)!.find((object) => object.kind === 'Deployment' && object.metadata.name === name) as any;
    expect(deployment('prod', 'web').spec.replicas).toBe(3);
    // The HorizontalPodAutoscaler owns api's replica count in prod.
    expect(deployment('prod', 'api').spec).not.toHaveProperty('replicas');
    expect(deployment('prod', 'worker').spec.replicas).toBe(2);
    expect(deployment('dev', 'api').spec.replicas).toBe(1);
    expect(deployment('prod', 'api').spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { memory: '512Mi' },
    });
    // The probes of the base survive the strategic merge of the container list.
    expect(deployment('prod', 'api').spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/healthz');
    expect(deployment('staging', 'web').spec.template.metadata.labels).toMatchObject({ 'dynenv.io/environment': 'staging' });
    // Selectors stay as in the base: the environment label must never reach an immutable selector.
    expect(deployment('staging', 'web').spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'checkout' },
    });
  });

  it('runs the tag in dev and the pinned digests in staging and prod', async () => {
    const config = await exampleConfig();
    const images = (environment: string) =>
      rendered
        .get(environment)!
        .filter((object) => object.kind === 'Deployment')
        .map((object) => [object.metadata.name, (object as any).spec.template.spec.containers[0].image]);
    expect(images('dev')).toEqual(config.services.map((service) => [service.name, `${service.image}:main`]));
    for (const environment of ['staging', 'prod'] as const) {
      expect(images(environment)).toEqual(
        config.services.map((service) => [service.name, `${service.image}@${config.environments[environment].services[service.name]!.digest}`]),
      );
    }
  });

  it('renders the preview overlay with its workloads, and its fence with its own Namespace, in one namespace', () => {
    const preview = rendered.get('preview')!;
    const fence = rendered.get('preview-fence')!;
    expect(names(preview)).toEqual(expect.arrayContaining(['Deployment/api', 'Service/web']));
    expect(names(fence)).toEqual(expect.arrayContaining(['Namespace/checkout-preview', 'Ingress/web']));
    const namespaced = [...preview, ...fence].filter((object) => object.kind !== 'Namespace');
    expect(namespaced.every((object) => object.metadata.namespace === 'checkout-preview')).toBe(true);
  });
});
