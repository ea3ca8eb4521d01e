/** gitops/argocd/: the AppProjects, the Applications of dev, staging and prod, and the preview ApplicationSet. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesizeTree } from '../../src/gitops/tree.ts';
import { configWith, dig, exampleTree, find, objectsIn } from '../support/example.ts';

let argocd: KubernetesObject[];
let tree: Awaited<ReturnType<typeof exampleTree>>;
beforeAll(async () => {
  tree = await exampleTree();
  argocd = objectsIn(tree, 'argocd');
});

describe('AppProjects', () => {
  it('fence the long-lived environments to the repository and their three namespaces', () => {
    const project = find(argocd, 'AppProject', 'checkout') as any;
    expect(project.metadata.namespace).toBe('argocd');
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example-org/checkout.git']);
    expect(project.spec.destinations).toEqual(
      ['checkout-dev', 'checkout-staging', 'checkout-prod'].map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })),
    );
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('fence previews to the repository and pr-* namespaces', () => {
    const project = find(argocd, 'AppProject', 'checkout-previews') as any;
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example-org/checkout.git']);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'pr-*' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('admit exactly the namespaced kinds their overlays hold', () => {
    const kinds = (folders: string[]) =>
      [...new Set(folders.flatMap((folder) => objectsIn(tree, folder)).filter((object) => object.kind !== 'Namespace').map((object) => `${object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : ''}/${object.kind}`))].sort();
    const whitelist = (name: string) => (find(argocd, 'AppProject', name) as any).spec.namespaceResourceWhitelist.map((entry: any) => `${entry.group}/${entry.kind}`).sort();
    const base = ['base/api', 'base/web', 'base/worker'];
    expect(whitelist('checkout-previews')).toEqual(kinds([...base, 'overlays/preview']));
    expect(whitelist('checkout')).toEqual(kinds([...base, 'overlays/dev', 'overlays/staging', 'overlays/prod']));
    expect(whitelist('checkout')).not.toContain('/Secret');
  });
});

describe('Applications', () => {
  it.each(['dev', 'staging', 'prod'])('deploy %s from its overlay on the tracked branch, deleting what they deployed when deleted', (environment) => {
    const application = find(argocd, 'Application', `checkout-${environment}`) as any;
    expect(application.metadata.namespace).toBe('argocd');
    expect(application.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(application.spec.project).toBe('checkout');
    expect(application.spec.source).toEqual({
      repoURL: 'https://github.com/example-org/checkout.git',
      targetRevision: 'main',
      path: `gitops/overlays/${environment}`,
    });
    expect(application.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: `checkout-${environment}` });
    expect(application.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
  });

  it('sync dev and staging automatically with prune and self-heal, and prod only by hand', () => {
    for (const environment of ['dev', 'staging']) {
      expect((find(argocd, 'Application', `checkout-${environment}`) as any).spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
    expect((find(argocd, 'Application', 'checkout-prod') as any).spec.syncPolicy).not.toHaveProperty('automated');
  });

  it('sync prod automatically when configured', () => {
    const config = configWith((data) => {
      data.argocd.prodSync = { automated: true };
    });
    const prod = find(objectsIn(synthesizeTree(config), 'argocd'), 'Application', 'checkout-prod') as any;
    expect(prod.spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
  });
});

describe('the preview ApplicationSet', () => {
  it('asks the plugin through its ConfigMap with the configured filters, every requeueAfterSeconds', () => {
    const set = find(argocd, 'ApplicationSet', 'checkout-previews') as any;
    expect(set.metadata.namespace).toBe('argocd');
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(set.spec.generators).toEqual([
      {
        plugin: {
          configMapRef: { name: 'dynenv-plugin-checkout' },
          input: {
            parameters: {
              repo: 'example-org/checkout',
              labels: [],
              excludeLabels: ['no-preview', 'stale'],
              includeDrafts: false,
              includeForks: false,
              targetBranches: ['main'],
              maxAgeHours: 72,
              // A pull request carrying it keeps its preview past maxAgeHours.
              keepLabel: 'keep-preview',
            },
          },
          requeueAfterSeconds: 60,
        },
      },
    ]);
  });

  it('makes one Application per pull request: its head commit, the preview overlay, its namespace, image and host, pruned', () => {
    const template = (find(argocd, 'ApplicationSet') as any).spec.template;
    expect(template.metadata.name).toBe('pr-{{ .number }}');
    expect(template.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(template.spec.project).toBe('checkout-previews');
    expect(template.spec.source.targetRevision).toBe('{{ .head_sha }}');
    expect(template.spec.source.path).toBe('gitops/overlays/preview');
    expect(template.spec.source.kustomize.namespace).toBe('{{ .namespace }}');
    expect(template.spec.source.kustomize.images).toEqual([
      'ghcr.io/example-org/checkout-api:sha-{{ .head_sha }}',
      'ghcr.io/example-org/checkout-web:sha-{{ .head_sha }}',
      'ghcr.io/example-org/checkout-worker:sha-{{ .head_sha }}',
    ]);
    expect(template.spec.source.kustomize.patches.map((patch: any) => patch.target)).toEqual([
      { kind: 'Namespace' },
      { kind: 'ConfigMap', name: 'dynenv-preview' },
      { kind: 'Ingress' },
    ]);
    expect(template.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: '{{ .namespace }}' });
    expect(template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  it('re-tags in a preview only the images this repository builds, never a third-party one', () => {
    const config = configWith((data) => {
      data.services.push({ name: 'cache', image: 'redis:7.4', ports: [{ name: 'redis', containerPort: 6379 }], probes: { readiness: { tcp: { port: 'redis' } } } });
      data.services.push({ name: 'batch', image: 'ghcr.io/example-org/checkout-batch:v2', builtHere: true, healthCommand: ['/check'] });
    });
    const images = (find(objectsIn(synthesizeTree(config), 'argocd'), 'ApplicationSet') as any).spec.template.spec.source.kustomize.images;
    expect(images).toEqual([
      'ghcr.io/example-org/checkout-api:sha-{{ .head_sha }}',
      'ghcr.io/example-org/checkout-web:sha-{{ .head_sha }}',
      'ghcr.io/example-org/checkout-worker:sha-{{ .head_sha }}',
      'ghcr.io/example-org/checkout-batch:sha-{{ .head_sha }}',
    ]);
  });

  it('prefixes Application names with the app when configured', () => {
    const config = configWith((data) => {
      data.preview.prefixApplicationName = true;
    });
    const set = find(objectsIn(synthesizeTree(config), 'argocd'), 'ApplicationSet') as any;
    expect(set.spec.template.metadata.name).toBe('checkout-pr-{{ .number }}');
  });
});

describe('the plugin server', () => {
  it('runs the configured image as non-root, without API access, with the token from its Secret', () => {
    const deployment = find(argocd, 'Deployment', 'dynenv-plugin-checkout') as any;
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].image).toBe('ghcr.io/example-org/dynenv:0.1.0');
    expect(pod.containers[0].args).toEqual(['serve']);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(find(argocd, 'ServiceAccount', 'dynenv-plugin-checkout').automountServiceAccountToken).toBe(false);
  });

  it('exposes only the webhook route through the ingress, and nothing at all without a webhook', () => {
    const ingress = find(argocd, 'Ingress') as any;
    expect(ingress.spec.rules).toEqual([
      {
        host: 'dynenv-hooks.example.com',
        http: { paths: [{ path: '/api/v1/webhook/github', pathType: 'Exact', backend: { service: { name: 'dynenv-plugin-checkout', port: { name: 'http' } } } }] },
      },
    ]);
    const config = configWith((data) => {
      delete data.argocd.plugin.webhook;
    });
    const objects = objectsIn(synthesizeTree(config), 'argocd');
    expect(objects.filter((object) => object.kind === 'Ingress')).toEqual([]);
    expect(dig(find(objects, 'NetworkPolicy'), 'spec', 'ingress')).toHaveLength(1);
  });

  it("admits a metrics scraper to the server's and the controller's ports only when one is configured", () => {
    const rules = (objects: ReturnType<typeof objectsIn>) => dig(find(objects, 'NetworkPolicy'), 'spec', 'ingress') as any[];
    const ingressController = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
    expect(rules(argocd).map((rule) => rule.from[0])).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-applicationset-controller' } } },
      ingressController,
    ]);
    const config = configWith((data) => {
      data.argocd.plugin.metricsScrapers = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
    });
    expect(rules(objectsIn(synthesizeTree(config), 'argocd')).at(-1)).toEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
        },
      ],
      ports: [
        { protocol: 'TCP', port: 4355 },
        { protocol: 'TCP', port: 4356 },
      ],
    });
  });

  it('is not synthesized, with the rest of argocd/, when dynenv.yaml names no repository', () => {
    const config = configWith((data) => {
      delete data.repository;
    });
    expect([...synthesizeTree(config).keys()].filter((file) => file.startsWith('argocd/'))).toEqual([]);
  });
});
