/** gitops/argocd/: the AppProjects, the Applications of dev, staging and prod, and the preview ApplicationSet. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesizeTree } from '../../src/gitops/tree.ts';
import { loadPluginServerConfig } from '../../plugin-server/config.ts';
import { configWith, dig, exampleTree, find, objectsIn } from '../support/example.ts';

let argocd: KubernetesObject[];
let tree: Awaited<ReturnType<typeof exampleTree>>;
beforeAll(async () => {
  tree = await exampleTree();
  argocd = objectsIn(tree, 'argocd');
});

describe('AppProjects', () => {
  it('fence the long-lived environments to the repository and their three namespaces, and only those Namespaces', () => {
    const project = find(argocd, 'AppProject', 'checkout') as any;
    expect(project.metadata.namespace).toBe('argocd');
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example-org/checkout.git']);
    expect(project.spec.destinations).toEqual(
      ['checkout-dev', 'checkout-staging', 'checkout-prod'].map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })),
    );
    expect(project.spec.clusterResourceWhitelist).toEqual(
      ['checkout-dev', 'checkout-staging', 'checkout-prod'].map((name) => ({ group: '', kind: 'Namespace', name })),
    );
  });

  it("give a pull request's head workload kinds only: no cluster-scoped kind, a fixed list, preview namespaces only", () => {
    const project = find(argocd, 'AppProject', 'checkout-previews') as any;
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example-org/checkout.git']);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'checkout-pr-*' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist.map((entry: any) => `${entry.group}/${entry.kind}`)).toEqual([
      '/ConfigMap',
      '/PersistentVolumeClaim',
      '/Secret',
      '/Service',
      '/ServiceAccount',
      'apps/Deployment',
      'apps/StatefulSet',
      'autoscaling/HorizontalPodAutoscaler',
      'batch/CronJob',
      'batch/Job',
      'policy/PodDisruptionBudget',
    ]);
  });

  it('give the fence, from the protected branch, its own kinds and only preview-named Namespaces', () => {
    const project = find(argocd, 'AppProject', 'checkout-preview-fences') as any;
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'checkout-pr-*' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'checkout-pr-*' }]);
  });

  it('admit exactly the namespaced kinds their overlays hold (the workloads excepted: a fixed list)', () => {
    const kinds = (folders: string[]) =>
      [
        ...new Set(
          folders
            .flatMap((folder) => objectsIn(tree, folder))
            .filter((object) => object.kind !== 'Namespace')
            .map((object) => `${object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : ''}/${object.kind}`),
        ),
      ].sort();
    const whitelist = (name: string) =>
      (find(argocd, 'AppProject', name) as any).spec.namespaceResourceWhitelist.map((entry: any) => `${entry.group}/${entry.kind}`).sort();
    const base = ['base/api', 'base/web', 'base/worker'];
    expect(whitelist('checkout-preview-fences')).toEqual(kinds(['overlays/preview-fence']));
    expect(whitelist('checkout')).toEqual(kinds([...base, 'overlays/dev', 'overlays/staging', 'overlays/prod']));
    expect(whitelist('checkout')).not.toContain('/Secret');
    for (const kind of kinds([...base, 'overlays/preview'])) expect(whitelist('checkout-previews'), kind).toContain(kind);
  });
});

describe('Applications', () => {
  it.each(['dev', 'staging', 'prod'])('deploy %s from its overlay on the tracked branch', (environment) => {
    const application = find(argocd, 'Application', `checkout-${environment}`) as any;
    expect(application.metadata.namespace).toBe('argocd');
    expect(application.spec.project).toBe('checkout');
    expect(application.spec.source).toEqual({
      repoURL: 'https://github.com/example-org/checkout.git',
      targetRevision: 'main',
      path: `gitops/overlays/${environment}`,
    });
    expect(application.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: `checkout-${environment}` });
    expect(application.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
  });

  it('delete what dev and staging deployed when deleted, and leave prod running unless configured (issue 15)', () => {
    const finalizers = (objects: KubernetesObject[], environment: string) =>
      (find(objects, 'Application', `checkout-${environment}`) as any).metadata.finalizers;
    expect(finalizers(argocd, 'dev')).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(finalizers(argocd, 'staging')).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(finalizers(argocd, 'prod')).toBeUndefined();
    const config = configWith((data) => {
      data.argocd.prodSync = { deleteResourcesOnDelete: true };
    });
    expect(finalizers(objectsIn(synthesizeTree(config), 'argocd'), 'prod')).toEqual(['resources-finalizer.argocd.argoproj.io']);
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

  it('leave the replicas of Deployments to people where developers may scale, and to the autoscaler where one scales (issue 15)', () => {
    const spec = (objects: KubernetesObject[], name: string) => (find(objects, 'Application', name) as any).spec;
    // Developers hold the develop level in dev, which may scale: self-heal must not undo it, nor a sync.
    expect(spec(argocd, 'checkout-dev').ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    expect(spec(argocd, 'checkout-dev').syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    // prod's api is autoscaled.
    expect(spec(argocd, 'checkout-prod').ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'api', jsonPointers: ['/spec/replicas'] }]);
    expect(spec(argocd, 'checkout-prod').syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(spec(argocd, 'checkout-staging')).not.toHaveProperty('ignoreDifferences');
    expect(spec(argocd, 'checkout-staging').syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
    // Nobody scales where no developer group is configured.
    const withoutDevelopers = objectsIn(synthesizeTree(configWith((data) => void (data.access.developers = []))), 'argocd');
    expect(spec(withoutDevelopers, 'checkout-dev')).not.toHaveProperty('ignoreDifferences');
  });

  it('leave the replicas of StatefulSets to the same owners: developers scale them too, and an autoscaler may target one', () => {
    const config = configWith((data) => {
      data.services.push({
        name: 'cache',
        kind: 'StatefulSet',
        image: 'docker.io/library/redis:7.4-alpine',
        ports: [{ name: 'redis', containerPort: 6379 }],
        probes: { readiness: { tcp: { port: 'redis' } } },
      });
      data.environments.prod.services.cache = { autoscaling: { minReplicas: 1, maxReplicas: 3, cpuUtilization: 70 } };
    });
    const objects = objectsIn(synthesizeTree(config), 'argocd');
    const spec = (name: string) => (find(objects, 'Application', name) as any).spec;
    expect(spec('checkout-dev').ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] },
    ]);
    expect(spec('checkout-prod').ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', name: 'api', jsonPointers: ['/spec/replicas'] },
      { group: 'apps', kind: 'StatefulSet', name: 'cache', jsonPointers: ['/spec/replicas'] },
    ]);
  });
});

describe("a preview's two ApplicationSets", () => {
  const set = (name: string) => find(argocd, 'ApplicationSet', name) as any;

  it('ask the plugin the same question through its ConfigMap, every requeueAfterSeconds', () => {
    for (const name of ['checkout-previews', 'checkout-preview-fences']) {
      expect(set(name).metadata.namespace).toBe('argocd');
      expect(set(name).spec.goTemplate).toBe(true);
      expect(set(name).spec.goTemplateOptions).toEqual(['missingkey=error']);
      expect(set(name).spec.generators).toEqual([
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
                namespacePrefix: 'checkout',
              },
            },
            requeueAfterSeconds: 60,
          },
        },
      ]);
    }
    expect(set('checkout-previews').metadata.labels['dynenv.io/preview-part']).toBe('workloads');
    expect(set('checkout-preview-fences').metadata.labels['dynenv.io/preview-part']).toBe('fence');
  });

  it("deploy each pull request's workloads from its head commit, with its image, into its namespace", () => {
    const template = set('checkout-previews').spec.template;
    expect(template.metadata.name).toBe('checkout-pr-{{ .number }}');
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
    expect(template.spec.source.kustomize.patches.map((patch: any) => patch.target)).toEqual([{ kind: 'ConfigMap', name: 'dynenv-preview' }]);
    expect(template.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: '{{ .namespace }}' });
    expect(template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    // Developers may scale in previews; plain Jobs (the seed) run once: a later commit's image neither updates nor fails them.
    expect(template.spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { group: 'batch', kind: 'Job', jsonPointers: ['/spec'] },
    ]);
    expect(template.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  it('re-tags in a preview only the images this repository builds, never a third-party one', () => {
    const config = configWith((data) => {
      data.services.push({
        name: 'cache',
        image: 'redis:7.4',
        ports: [{ name: 'redis', containerPort: 6379 }],
        probes: { readiness: { tcp: { port: 'redis' } } },
      });
      data.services.push({ name: 'batch', image: 'ghcr.io/example-org/checkout-batch:v2', builtHere: true, healthCommand: ['/check'] });
    });
    const images = (find(objectsIn(synthesizeTree(config), 'argocd'), 'ApplicationSet', 'checkout-previews') as any).spec.template.spec.source.kustomize.images;
    expect(images).toEqual([
      'ghcr.io/example-org/checkout-api:sha-{{ .head_sha }}',
      'ghcr.io/example-org/checkout-web:sha-{{ .head_sha }}',
      'ghcr.io/example-org/checkout-worker:sha-{{ .head_sha }}',
      'ghcr.io/example-org/checkout-batch:sha-{{ .head_sha }}',
    ]);
  });

  it("deploy each pull request's fence from the protected branch, with its Namespace labels and host", () => {
    const template = set('checkout-preview-fences').spec.template;
    expect(template.metadata.name).toBe('checkout-pr-{{ .number }}-fence');
    expect(template.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(template.spec.project).toBe('checkout-preview-fences');
    expect(template.spec.source.targetRevision).toBe('main');
    expect(template.spec.source.path).toBe('gitops/overlays/preview-fence');
    expect(template.spec.source.kustomize.namespace).toBe('{{ .namespace }}');
    expect(template.spec.source.kustomize).not.toHaveProperty('images');
    expect(template.spec.source.kustomize.patches.map((patch: any) => patch.target)).toEqual([{ kind: 'Namespace' }, { kind: 'Ingress' }]);
    expect(template.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: '{{ .namespace }}' });
  });

  it('patch only with "add", so an overlay of another commit that lacks a field still renders (issue 15)', () => {
    for (const name of ['checkout-previews', 'checkout-preview-fences']) {
      for (const { patch } of set(name).spec.template.spec.source.kustomize.patches) {
        const operations = parse(patch) as Array<{ op: string; path: string }>;
        expect(operations.map((operation) => operation.op)).toEqual(operations.map(() => 'add'));
        // An "add" at an array index inserts: array members are set whole.
        for (const operation of operations) expect(operation.path, operation.path).not.toMatch(/\/[0-9]+$/);
      }
    }
  });

  it('end their retries after a bounded back-off (issue 15)', () => {
    for (const name of ['checkout-previews', 'checkout-preview-fences']) {
      const retry = set(name).spec.template.spec.syncPolicy.retry;
      expect(retry.limit).toBeGreaterThan(0);
      // Argo CD waits duration × factor^n capped at maxDuration before retry n+1 (RetryStrategy.NextRetryAt).
      expect(totalRetryWaitSeconds(retry)).toBeLessThanOrEqual(10 * 60);
      expect(totalRetryWaitSeconds(retry)).toBeGreaterThanOrEqual(60);
    }
  });

  it('name Applications and namespaces after the app by default, and namespaces after a configured prefix (issue 15)', () => {
    const config = configWith((data) => {
      data.preview.namespacePrefix = 'shop';
    });
    const objects = objectsIn(synthesizeTree(config), 'argocd');
    for (const name of ['checkout-previews', 'checkout-preview-fences']) {
      const prefixed = find(objects, 'ApplicationSet', name) as any;
      expect(prefixed.spec.generators[0].plugin.input.parameters.namespacePrefix).toBe('shop');
      expect(prefixed.spec.template.metadata.name).toMatch(/^checkout-pr-/);
    }
    for (const name of ['checkout-previews', 'checkout-preview-fences']) {
      expect((find(objects, 'AppProject', name) as any).spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'shop-pr-*' }]);
    }
  });
});

/** The longest Argo CD waits between the retries of one sync operation, in seconds. */
function totalRetryWaitSeconds(retry: { limit: number; backoff: { duration: string; factor: number; maxDuration: string } }): number {
  const seconds = (duration: string) => {
    const match = /^([0-9]+)(s|m|h)?$/.exec(duration);
    if (!match) throw new Error(`unexpected duration ${duration}`);
    return Number(match[1]) * ({ s: 1, m: 60, h: 3600 } as const)[(match[2] ?? 's') as 's' | 'm' | 'h'];
  };
  let total = 0;
  for (let attempt = 0; attempt < retry.limit; attempt += 1) {
    total += Math.min(seconds(retry.backoff.maxDuration), seconds(retry.backoff.duration) * retry.backoff.factor ** attempt);
  }
  return total;
}

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
        http: {
          paths: [{ path: '/api/v1/webhook/github', pathType: 'Exact', backend: { service: { name: 'dynenv-plugin-checkout', port: { name: 'http' } } } }],
        },
      },
    ]);
    const config = configWith((data) => {
      delete data.argocd.plugin.webhook;
    });
    const objects = objectsIn(synthesizeTree(config), 'argocd');
    expect(objects.filter((object) => object.kind === 'Ingress')).toEqual([]);
    expect(dig(find(objects, 'NetworkPolicy'), 'spec', 'ingress')).toHaveLength(1);
  });

  it('has the server serve the webhook at the path the Ingress routes to it', () => {
    const objects = objectsIn(synthesizeTree(configWith((data) => (data.argocd.plugin.webhook.path = '/hooks/github'))), 'argocd');
    const routed = dig(find(objects, 'Ingress'), 'spec', 'rules', 0, 'http', 'paths', 0, 'path');
    expect(routed).toBe('/hooks/github');
    const container = dig(find(objects, 'Deployment'), 'spec', 'template', 'spec', 'containers').find((c: any) => c.name === 'plugin-server');
    const env = Object.fromEntries(container.env.filter((variable: any) => 'value' in variable).map((variable: any) => [variable.name, variable.value]));
    // The server reads its environment as it would in the pod (the token and GitHub credentials come from Secrets).
    const server = loadPluginServerConfig({ ...env, PLUGIN_TOKEN: 'token', GITHUB_TOKEN: 'github-token', PLUGIN_TOKEN_FILE: '' });
    expect(server.webhookPath).toBe(routed);
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
