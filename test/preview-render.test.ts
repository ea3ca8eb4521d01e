/**
 * One pull request's preview rendered the way Argo CD renders its two Applications (see
 * test/support/argocd-render.ts), the fence and the workloads: every namespaced object must land in that pull
 * request's namespace, with its own image tag, host, identity and database, and the Namespace itself must be part
 * of the fence Application.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cp, readFile, writeFile } from 'node:fs/promises';
import type { KubernetesObject } from '../src/gitops/kustomize-build.ts';
import { dig, find } from './support/example.ts';
import { applicationsOf, renderApplication, type ApplicationObject } from './support/argocd-render.ts';
import { REPO_ROOT, tempDir } from './support/workspace.ts';

const HEAD_SHA = '3e1f2a9c0b4d5e6f708192a3b4c5d6e7f8091a2b';

/** One open pull request, as the plugin server answers for it. */
const PULL_REQUEST = {
  number: '1842',
  title: 'Checkout: apply coupons before tax',
  branch: 'feature/coupons',
  branch_slug: 'feature-coupons',
  target_branch: 'main',
  target_branch_slug: 'main',
  head_sha: HEAD_SHA,
  head_short_sha: HEAD_SHA.slice(0, 8),
  head_short_sha_7: HEAD_SHA.slice(0, 7),
  author: 'octocat',
  labels: ['preview'],
  namespace: 'checkout-pr-1842',
  url: 'https://github.com/example-org/checkout/pull/1842',
  repo: 'example-org/checkout',
  draft: false,
  updated_at: '2024-05-01T12:00:00Z',
};

const CLUSTER_SCOPED = new Set(['Namespace']);

describe('the preview of pull request 1842 rendered as Argo CD renders its two Applications', () => {
  const applications: Record<'fence' | 'workloads', ApplicationObject> = {} as never;
  let objects: KubernetesObject[];
  let fenceObjects: KubernetesObject[];
  beforeAll(async () => {
    const gitops = path.join(REPO_ROOT, 'gitops');
    const set = async (name: string) => parse(await readFile(path.join(gitops, `argocd/applicationset-${name}.yaml`), 'utf8'));
    applications.workloads = applicationsOf(await set('checkout-previews'), [PULL_REQUEST])[0]!;
    applications.fence = applicationsOf(await set('checkout-preview-fences'), [PULL_REQUEST])[0]!;
    const checkout = { folder: gitops, at: 'gitops' };
    const workloads = await renderApplication(applications.workloads, checkout);
    const fence = await renderApplication(applications.fence, checkout);
    fenceObjects = fence.objects;
    objects = [...workloads.objects, ...fence.objects];
  });

  it('is two Applications named after the pull request: its workloads at its head commit, its fence from main, one namespace', () => {
    expect(applications.workloads.metadata.name).toBe('checkout-pr-1842');
    expect(applications.workloads.spec.source.targetRevision).toBe(HEAD_SHA);
    expect(applications.fence.metadata.name).toBe('checkout-pr-1842-fence');
    expect(applications.fence.spec.source.targetRevision).toBe('main');
    for (const application of Object.values(applications)) expect(application.spec.destination.namespace).toBe('checkout-pr-1842');
  });

  it('puts every namespaced object in checkout-pr-1842', () => {
    const namespaced = objects.filter((object) => !CLUSTER_SCOPED.has(object.kind));
    expect(namespaced.length).toBeGreaterThan(20);
    expect(namespaced.filter((object) => object.metadata.namespace !== 'checkout-pr-1842').map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(
      [],
    );
  });

  it('ships the Namespace object itself in the fence, labelled with the pull request, its TTL and its owner', () => {
    const namespace = find(fenceObjects, 'Namespace');
    expect(namespace.metadata.name).toBe('checkout-pr-1842');
    expect(namespace.metadata.labels).toMatchObject({
      'dynenv.io/pull-request': '1842',
      'dynenv.io/ttl-hours': '72',
      'dynenv.io/owner': 'team-checkout',
      'dynenv.io/environment': 'preview',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    expect(namespace.metadata.annotations).toMatchObject({
      'dynenv.io/pull-request-url': PULL_REQUEST.url,
      'dynenv.io/head-sha': HEAD_SHA,
    });
  });

  it('runs the pull request build of every service', () => {
    const images = objects
      .filter((object) => object.kind === 'Deployment')
      .map((object) => dig(object, 'spec', 'template', 'spec', 'containers', 0, 'image'))
      .sort();
    expect(images).toEqual([
      `ghcr.io/example-org/checkout-api:sha-${HEAD_SHA}`,
      `ghcr.io/example-org/checkout-web:sha-${HEAD_SHA}`,
      `ghcr.io/example-org/checkout-worker:sha-${HEAD_SHA}`,
    ]);
    // The migration and seed Jobs run the same build as the service they belong to.
    for (const name of ['api-migrate', 'api-seed']) {
      expect(dig(find(objects, 'Job', name), 'spec', 'template', 'spec', 'containers', 0, 'image'), name).toBe(
        `ghcr.io/example-org/checkout-api:sha-${HEAD_SHA}`,
      );
    }
  });

  it('answers on the pull request host', () => {
    const ingress = find(fenceObjects, 'Ingress', 'web');
    expect(dig(ingress, 'spec', 'rules', 0, 'host')).toBe('pr-1842.preview.example.com');
    expect(dig(ingress, 'spec', 'tls', 0, 'hosts')).toEqual(['pr-1842.preview.example.com']);
  });

  it('gives the services and the seed Job a tenant ID, e-mail domain and storage prefix of their own', () => {
    expect(find(objects, 'ConfigMap', 'dynenv-preview').data).toEqual({
      DYNENV_PULL_REQUEST: '1842',
      DYNENV_TENANT_ID: 'checkout-pr-1842',
      DYNENV_EMAIL_DOMAIN: 'pr-1842.checkout.invalid',
      DYNENV_BUCKET_PREFIX: 'checkout-previews/pr-1842/',
      DYNENV_PREVIEW_URL: 'https://pr-1842.preview.example.com',
    });
    const seed = dig(find(objects, 'Job', 'api-seed'), 'spec', 'template', 'spec', 'containers', 0);
    expect(seed.name).toBe('seed');
    expect(seed.envFrom).toContainEqual({ configMapRef: { name: 'dynenv-preview' } });
  });

  it('has its own database, quota, container defaults and network policies', () => {
    const database = find(objects, 'StatefulSet', 'api-postgres');
    expect(dig(database, 'spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage')).toBe('1Gi');
    expect(find(objects, 'Service', 'api-postgres').spec).toMatchObject({ ports: [{ port: 5432 }] });
    expect(find(objects, 'Job', 'api-database-credentials').metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync' });
    expect(dig(find(objects, 'ResourceQuota', 'environment-quota'), 'spec', 'hard')).toMatchObject({ 'requests.cpu': '2', 'requests.memory': '4Gi', pods: 20 });
    expect(dig(find(objects, 'LimitRange', 'container-defaults'), 'spec', 'limits', 0, 'defaultRequest')).toEqual({ cpu: '100m', memory: '128Mi' });
    const policies = objects
      .filter((object) => object.kind === 'NetworkPolicy')
      .map((object) => object.metadata.name)
      .sort();
    expect(policies).toEqual(['allow-api-server', 'allow-dns', 'allow-from-ingress-controller', 'allow-same-namespace', 'default-deny']);
  });

  it('binds the database credentials to the ServiceAccount in the pull request namespace', () => {
    const binding = find(objects, 'RoleBinding', 'database-credentials');
    // A subject namespace written in the overlay would have stayed the overlay's, not the pull request's.
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'database-credentials', namespace: 'checkout-pr-1842' }]);
  });
});

describe('the ApplicationSets of an upgrade, rendering an overlay of an older commit (issue 15)', () => {
  it('still render a fence and workloads whose files lack the fields their patches set', async () => {
    // A pull request branched before its Namespace had a pull-request label, its Ingress a TLS section, and its
    // identity ConfigMap any data: `replace` would fail each ("doc is missing path"), `add` sets them.
    const older = await tempDir('dynenv-older-commit-');
    await cp(path.join(REPO_ROOT, 'gitops'), path.join(older, 'gitops'), { recursive: true });
    const edit = async (file: string, change: (object: any) => void) => {
      const target = path.join(older, 'gitops', file);
      const object = parse(await readFile(target, 'utf8'));
      change(object);
      await writeFile(target, stringify(object));
    };
    await edit('overlays/preview-fence/namespace.yaml', (namespace) => delete namespace.metadata.labels['dynenv.io/pull-request']);
    await edit('overlays/preview-fence/ingress.yaml', (ingress) => delete ingress.spec.tls);
    await edit('overlays/preview/configmap.yaml', (configMap) => delete configMap.data);
    const set = async (name: string) => parse(await readFile(path.join(REPO_ROOT, 'gitops', `argocd/applicationset-${name}.yaml`), 'utf8'));
    const checkout = { folder: path.join(older, 'gitops'), at: 'gitops' };
    const fence = await renderApplication(applicationsOf(await set('checkout-preview-fences'), [PULL_REQUEST])[0]!, checkout);
    const workloads = await renderApplication(applicationsOf(await set('checkout-previews'), [PULL_REQUEST])[0]!, checkout);
    expect(find(fence.objects, 'Namespace').metadata.labels?.['dynenv.io/pull-request']).toBe('1842');
    expect(dig(find(fence.objects, 'Ingress', 'web'), 'spec', 'tls', 0, 'hosts')).toEqual(['pr-1842.preview.example.com']);
    expect(find(workloads.objects, 'ConfigMap', 'dynenv-preview').data).toMatchObject({ DYNENV_PULL_REQUEST: '1842' });
  });
});

describe('a pull request URL that is not what GitHub would send (issue 10, finding 6)', () => {
  it('stays one annotation value: quotes and line breaks in it add no operation to the Namespace patch', async () => {
    // What a raw `"{{ .url }}"` would have turned into a second operation that makes the Namespace privileged.
    const hostile =
      'https://github.com/example-org/checkout/pull/1842"\n- op: add\n  path: /metadata/labels/pod-security.kubernetes.io~1enforce\n  value: "privileged';
    const set = parse(await readFile(path.join(REPO_ROOT, 'gitops', 'argocd/applicationset-checkout-preview-fences.yaml'), 'utf8'));
    const fence = await renderApplication(applicationsOf(set, [{ ...PULL_REQUEST, url: hostile }])[0]!, {
      folder: path.join(REPO_ROOT, 'gitops'),
      at: 'gitops',
    });
    const namespace = find(fence.objects, 'Namespace');
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(namespace.metadata.annotations?.['dynenv.io/pull-request-url']).toBe(hostile);
  });

  it('keeps characters Go escapes in JSON (<, >, &) as they were', async () => {
    const odd = 'https://github.com/example-org/checkout/pull/1842?a=<b>&c=\u2028';
    const set = parse(await readFile(path.join(REPO_ROOT, 'gitops', 'argocd/applicationset-checkout-preview-fences.yaml'), 'utf8'));
    const fence = await renderApplication(applicationsOf(set, [{ ...PULL_REQUEST, url: odd }])[0]!, { folder: path.join(REPO_ROOT, 'gitops'), at: 'gitops' });
    expect(find(fence.objects, 'Namespace').metadata.annotations?.['dynenv.io/pull-request-url']).toBe(odd);
  });
});
