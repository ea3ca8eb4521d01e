/**
 * Issue 10: a pull request cannot move its own fence. A real Git repository holds the protected branch (the
 * bundled example, synthesized) and a pull request's head commit; the real plugin server, asked by the protected
 * branch's ApplicationSets, lists the pull request; each Application is rendered as Argo CD renders it at the
 * revision it deploys; Argo CD's project check and the API server's admission policies then decide each object
 * (test/support/preview-cluster.ts).
 *
 * The attack, as the issue found it: the head sets its Namespace's Pod Security label to privileged (in its
 * workloads and in the fence folder), adds a hostPID, privileged Deployment, adds a `transformers:` entry that moves
 * a RoleBinding and a Deployment into another preview's namespace and turns a ConfigMap into Namespace `argocd`,
 * and adds an Ingress for prod's host. Every attacking object is refused by the project it falls under, or by the
 * admission policies where the project admits it, or does not come from the head at all. A pull request that only
 * changes its services still previews.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { KubernetesObject } from '../src/gitops/kustomize-build.ts';
import { startHarness, type Harness } from './plugin-server/harness.ts';
import { createGitFixture, git, type GitFixture } from './support/git-fixture.ts';
import { deployPreviews, objectsAtRevision, type ApplicationResult, type Outcome } from './support/preview-cluster.ts';

const REPOSITORY = 'example-org/checkout';

/** Commits `files` (path under the clone → text, or an edit of the current text) on a new branch and pushes it. */
async function pushPullRequestHead(fixture: GitFixture, branch: string, files: Record<string, string | ((text: string) => string)>): Promise<string> {
  await git(fixture.work, 'checkout', '--quiet', '-b', branch, 'origin/main');
  for (const [file, change] of Object.entries(files)) {
    const target = path.join(fixture.work, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, typeof change === 'string' ? change : change(await readFile(target, 'utf8')));
  }
  await git(fixture.work, 'add', '--all');
  await git(fixture.work, 'commit', '--quiet', '-m', `${branch}`);
  await git(fixture.work, 'push', '--quiet', 'origin', branch);
  return git(fixture.work, 'rev-parse', 'HEAD');
}

/** Edits a kustomization.yaml. */
const kustomization = (edit: (data: Record<string, any>) => void) => (text: string) => {
  const data = parse(text) as Record<string, any>;
  edit(data);
  return stringify(data);
};

const yamlDocuments = (...objects: object[]) => objects.map((object) => stringify(object)).join('---\n');

const container = (name: string, extra: object = {}) => ({ name, image: 'docker.io/library/busybox:1.36', ...extra });
const deployment = (name: string, podSpec: object = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container(name)], ...podSpec } } },
});

const ATTACK = {
  'gitops/overlays/preview/attack.yaml': yamlDocuments(
    // (a) its own Namespace, privileged; kustomize's namespace transformer names it after the pull request.
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'preview', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
    // (a) root on the node.
    deployment('node-root', { hostPID: true, containers: [container('shell', { securityContext: { privileged: true } })] }),
    // (b) moved into another preview's namespace by the transformer below.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'take-over' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' }],
    },
    deployment('squatter'),
    // (c) turned into Namespace argocd by the transformer below.
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hijack' }, data: { a: 'b' } },
    // (d) prod's host, on the shared ingress controller.
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'steal-prod' },
      spec: {
        rules: [
          { host: 'checkout.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
        ],
      },
    },
  ),
  // Transformers run after Argo CD's `kustomize.namespace`, which they can therefore undo.
  'gitops/overlays/preview/transformers.yaml': yamlDocuments(
    {
      apiVersion: 'builtin',
      kind: 'PatchTransformer',
      metadata: { name: 'move-into-another-preview' },
      patch: stringify([{ op: 'replace', path: '/metadata/namespace', value: 'checkout-pr-7' }]),
      target: { name: 'take-over|squatter' },
    },
    {
      apiVersion: 'builtin',
      kind: 'PatchTransformer',
      metadata: { name: 'become-argocd' },
      patch: stringify([
        { op: 'replace', path: '/kind', value: 'Namespace' },
        { op: 'replace', path: '/metadata/name', value: 'argocd' },
        { op: 'remove', path: '/metadata/namespace' },
        { op: 'remove', path: '/data' },
      ]),
      target: { kind: 'ConfigMap', name: 'hijack' },
    },
  ),
  'gitops/overlays/preview/kustomization.yaml': kustomization((data) => {
    data.resources.push('attack.yaml');
    data.transformers = ['transformers.yaml'];
  }),
  // (a) the fence folder too, in the head: never deployed from there.
  'gitops/overlays/preview-fence/namespace.yaml': (text: string) => text.replaceAll(': restricted', ': privileged'),
};

/** One line per object: `<Application> <Kind>/<namespace>/<name>: <outcome>`. */
function outcomes(results: readonly ApplicationResult[], select: (object: KubernetesObject) => boolean = () => true): Record<string, string> {
  const describe = (outcome: Outcome) =>
    'applied' in outcome
      ? 'applied'
      : outcome.refusedBy === 'project'
        ? `refused by the project: ${outcome.message}`
        : `refused at admission: ${outcome.messages.join(' | ')}`;
  return Object.fromEntries(
    results.flatMap(({ application, objects }) =>
      objects
        .filter(({ object }) => select(object))
        .map(({ object, outcome }) => [
          `${application.metadata.name} ${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`,
          describe(outcome),
        ]),
    ),
  );
}

describe('a pull request that attacks its fence', () => {
  let fixture: GitFixture;
  let plugin: Harness;
  let head: string;
  let results: ApplicationResult[];
  beforeAll(async () => {
    fixture = await createGitFixture();
    head = await pushPullRequestHead(fixture, 'feature/escape', ATTACK);
    plugin = await startHarness({ repositories: [REPOSITORY] });
    plugin.fake.openPullRequest(REPOSITORY, { base: 'main', head: 'feature/escape', headSha: head });
    const victim = (await objectsAtRevision(fixture.origin, 'main', 'gitops/overlays/preview-fence')).find((object) => object.kind === 'Namespace')!;
    results = await deployPreviews({
      origin: fixture.origin,
      argocd: await objectsAtRevision(fixture.origin, 'main', 'gitops/argocd'),
      plugin,
      // Pull request 7's preview already runs next door.
      namespaces: new Map([
        ['checkout-pr-7', { ...victim, metadata: { name: 'checkout-pr-7', labels: { ...victim.metadata.labels, 'dynenv.io/pull-request': '7' } } }],
      ]),
    });
  }, 120_000);
  afterAll(async () => plugin?.close());

  it('gets two Applications: its workloads at its head commit, its fence from main', () => {
    expect(results.map(({ application }) => [application.metadata.name, application.spec.project, application.spec.source.targetRevision])).toEqual([
      ['checkout-pr-1-fence', 'checkout-preview-fences', 'main'],
      ['checkout-pr-1', 'checkout-previews', head],
    ]);
    expect(results.map(({ invalidSpec }) => invalidSpec)).toEqual([undefined, undefined]);
  });

  it('has every attacking object refused: by the workloads project, or at admission where the project admits it', () => {
    const attacking = (object: KubernetesObject) =>
      ['Namespace', 'RoleBinding', 'Ingress'].includes(object.kind) || ['node-root', 'squatter'].includes(object.metadata.name);
    const workloads = results.filter(({ application }) => application.metadata.name === 'checkout-pr-1');
    expect(outcomes(workloads, attacking)).toEqual({
      'checkout-pr-1 Namespace//argocd': 'refused by the project: resource :Namespace is not permitted in project checkout-previews',
      'checkout-pr-1 Namespace//checkout-pr-1': 'refused by the project: resource :Namespace is not permitted in project checkout-previews',
      'checkout-pr-1 RoleBinding/checkout-pr-7/take-over':
        'refused by the project: resource rbac.authorization.k8s.io:RoleBinding is not permitted in project checkout-previews',
      'checkout-pr-1 Ingress/checkout-pr-1/steal-prod':
        'refused by the project: resource networking.k8s.io:Ingress is not permitted in project checkout-previews',
      // Deployments are what a preview exists to try, so the project admits them; the API server does not.
      'checkout-pr-1 Deployment/checkout-pr-1/node-root':
        'refused at admission: checkout-preview-pods: a preview namespace refuses privileged containers: shell | ' +
        "checkout-preview-pods: a preview namespace refuses hostPID: a pod there must not share the node's namespaces",
      // The project's namespace glob admits every preview's namespace; the tracking says whose it is.
      'checkout-pr-1 Deployment/checkout-pr-7/squatter':
        "refused at admission: checkout-preview-argocd-tracking: Argo CD may write into a preview namespace only objects of the namespace's own " +
        'preview Applications (checkout-pr-<number>, checkout-pr-<number>-fence); this one is tracked as checkout-pr-1:apps/Deployment:checkout-pr-7/squatter',
    });
  });

  it('cannot change its fence: the Namespace, its Pod Security labels, RBAC and Ingress come from main', () => {
    const fence = results.find(({ application }) => application.metadata.name === 'checkout-pr-1-fence')!;
    expect(Object.values(outcomes([fence])).every((outcome) => outcome === 'applied')).toBe(true);
    const namespace = fence.objects.find(({ object }) => object.kind === 'Namespace')!.object;
    expect(namespace.metadata.name).toBe('checkout-pr-1');
    // The head made it "privileged" in the fence folder; main's says "restricted".
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(fence.objects.map(({ object }) => object.metadata.name)).not.toContain('steal-prod');
    const ingress = fence.objects.find(({ object }) => object.kind === 'Ingress')!.object as any;
    expect(ingress.spec.rules.map((rule: any) => rule.host)).toEqual(['pr-1.preview.example.com']);
  });

  it('still previews what it may change: its services, from its head commit', () => {
    const workloads = results.find(({ application }) => application.metadata.name === 'checkout-pr-1')!;
    const applied = outcomes([workloads], (object) => ['api', 'web', 'worker', 'api-migrate', 'dynenv-preview'].includes(object.metadata.name));
    expect(Object.keys(applied).length).toBeGreaterThanOrEqual(9);
    expect(Object.values(applied).every((outcome) => outcome === 'applied')).toBe(true);
  });
});

describe('a pull request that changes its services', () => {
  let plugin: Harness;
  let results: ApplicationResult[];
  beforeAll(async () => {
    const fixture = await createGitFixture();
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cart-cleanup' },
      spec: {
        schedule: '*/30 * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                automountServiceAccountToken: false,
                containers: [
                  container('cleanup', { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true } }),
                ],
              },
            },
          },
        },
      },
    };
    const head = await pushPullRequestHead(fixture, 'feature/cart-cleanup', {
      'gitops/base/api/configmap.yaml': (text) => text.replace('HTTP_PORT: "8080"', 'HTTP_PORT: "8080"\n  CART_TTL_MINUTES: "30"'),
      'gitops/overlays/preview/cronjob.yaml': stringify(cron),
      'gitops/overlays/preview/deployment-recommender.yaml': stringify(deployment('recommender')),
      'gitops/overlays/preview/kustomization.yaml': kustomization((data) => data.resources.push('cronjob.yaml', 'deployment-recommender.yaml')),
    });
    plugin = await startHarness({ repositories: [REPOSITORY] });
    plugin.fake.openPullRequest(REPOSITORY, { base: 'main', head: 'feature/cart-cleanup', headSha: head });
    results = await deployPreviews({ origin: fixture.origin, argocd: await objectsAtRevision(fixture.origin, 'main', 'gitops/argocd'), plugin });
  }, 120_000);
  afterAll(async () => plugin?.close());

  it('previews every change: a kind main has no object of yet, a new Deployment, a changed setting', () => {
    const all = outcomes(results);
    expect(Object.entries(all).filter(([, outcome]) => outcome !== 'applied')).toEqual([]);
    expect(Object.keys(all)).toEqual(
      expect.arrayContaining(['checkout-pr-1 CronJob/checkout-pr-1/cart-cleanup', 'checkout-pr-1 Deployment/checkout-pr-1/recommender']),
    );
    const config = results[1]!.objects.find(({ object }) => object.kind === 'ConfigMap' && object.metadata.name === 'api-config')!.object as any;
    expect(config.data.CART_TTL_MINUTES).toBe('30');
  });
});
