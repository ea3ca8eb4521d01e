/**
 * `dynenv sweep` against the fake Kubernetes API and the fake GitHub, with exactly the RBAC the generator
 * synthesizes for its CronJob: it deletes the preview namespaces no Application owns and whose pull request is
 * closed, once older than the grace period; nothing else, and nothing at all on a dry run.
 */
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../../plugin-server/controller/sweep-main.ts';
import type { FakeGitHub } from '../../fake-github/index.ts';
import type { FakeKubernetes, StoredObject } from '../../fake-kubernetes/index.ts';
import { grantSynthesizedSweepAccess, kubeconfigFor, SWEEP_TOKEN } from '../../support/controller-world.ts';
import { startGitHub } from '../../support/fake-github.ts';
import { startKubernetes } from '../../support/fake-kubernetes.ts';

const REPOSITORY = 'example-org/checkout';
const HOUR = 3_600_000;

function namespace(name: string, labels: Record<string, string>, number?: number): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels,
      ...(number !== undefined && { annotations: { 'dynenv.io/pull-request-url': `https://github.com/${REPOSITORY}/pull/${number}` } }),
    },
  } as StoredObject;
}

const preview = (number: number) => ({
  'app.kubernetes.io/managed-by': 'dynenv',
  'app.kubernetes.io/part-of': 'checkout',
  'dynenv.io/environment': 'preview',
  'dynenv.io/pull-request': String(number),
});

function application(name: string, destination: string): StoredObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'p',
      source: { repoURL: `https://github.com/${REPOSITORY}.git`, path: '.' },
      destination: { server: 'https://kubernetes.default.svc', namespace: destination },
    },
  } as StoredObject;
}

/** A cluster with one namespace per case, and GitHub with pull requests 1 (open), 2 and 3 (closed) and 4 (open). */
async function world(): Promise<{ github: FakeGitHub; kubernetes: FakeKubernetes }> {
  const github = await startGitHub(REPOSITORY);
  for (let i = 0; i < 4; i++) github.openPullRequest(REPOSITORY);
  github.closePullRequest(REPOSITORY, 2);
  github.closePullRequest(REPOSITORY, 3);
  const kubernetes = await startKubernetes();
  await grantSynthesizedSweepAccess(kubernetes);
  const { store } = kubernetes;
  store.create('namespaces', namespace('checkout-pr-1', preview(1), 1)); // its pull request is open, no Application (yet): kept
  store.create('namespaces', namespace('checkout-pr-2', preview(2), 2)); // closed, no Application: an orphan
  store.create('namespaces', namespace('checkout-pr-3', preview(3), 3)); // closed, but an Application deploys to it: kept
  store.create('applications', application('checkout-pr-3', 'checkout-pr-3'));
  store.create('namespaces', namespace('pr-2', { 'dynenv.io/pull-request': '2' })); // not dynenv's: never touched
  store.create('namespaces', namespace('team-a', {})); // not dynenv's: never touched
  const stuck = store.create('namespaces', {
    ...namespace('checkout-pr-5', preview(5), 5),
    metadata: { ...namespace('checkout-pr-5', preview(5), 5).metadata, finalizers: ['kubernetes'] },
  });
  store.delete('namespaces', undefined, stuck.metadata.name); // already terminating: left to Kubernetes
  return { github, kubernetes };
}

async function sweep(github: FakeGitHub, kubernetes: FakeKubernetes, dryRun: boolean, nowMs: number) {
  const lines: Array<Record<string, unknown>> = [];
  const result = await runSweep(
    { KUBECONFIG: kubeconfigFor(kubernetes, SWEEP_TOKEN), DYNENV_REPOS: REPOSITORY, GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
    { dryRun, now: () => nowMs, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { result, lines };
}

const names = (kubernetes: FakeKubernetes) =>
  kubernetes.store
    .list('namespaces')
    .map((n) => n.metadata.name)
    .sort();

describe('dynenv sweep', () => {
  it('deletes only the orphan: dynenv-labelled, unowned, its pull request closed, past the grace period; and logs it', async () => {
    const { github, kubernetes } = await world();
    const { result, lines } = await sweep(github, kubernetes, false, Date.now() + 2 * HOUR);
    expect(result.removed).toEqual(['checkout-pr-2']);
    expect(names(kubernetes)).toEqual(['checkout-pr-1', 'checkout-pr-3', 'checkout-pr-5', 'pr-2', 'team-a']);
    expect(lines.find((l) => l.msg === 'deleted')).toMatchObject({ namespace: 'checkout-pr-2', pullRequest: 2, repository: REPOSITORY });
    expect(lines.at(-1)).toMatchObject({ msg: 'sweep done', removed: 1, dryRun: false });
    // Zero orphans after a sweep: every dynenv preview namespace left is owned, open, or already going.
    const again = await sweep(github, kubernetes, false, Date.now() + 2 * HOUR);
    expect(again.result.removed).toEqual([]);
    // Only preview namespaces were ever asked for, and only the orphan was deleted.
    const deletes = kubernetes.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => `${r.path} ${r.status}`)).toEqual(['/api/v1/namespaces/checkout-pr-2 200']);
  });

  it('leaves an unowned namespace alone during the grace period (its Application may not exist yet)', async () => {
    const { github, kubernetes } = await world();
    const { result } = await sweep(github, kubernetes, false, Date.now() + 10 * 60_000);
    expect(result.removed).toEqual([]);
    expect(result.kept).toContainEqual({ namespace: 'checkout-pr-2', reason: 'younger than the grace period' });
  });

  it('deletes nothing on a dry run, and says what it would delete', async () => {
    const { github, kubernetes } = await world();
    const { result, lines } = await sweep(github, kubernetes, true, Date.now() + 2 * HOUR);
    expect(result.removed).toEqual(['checkout-pr-2']);
    expect(lines.find((l) => l.msg === 'would delete')).toMatchObject({ namespace: 'checkout-pr-2' });
    expect(kubernetes.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('deletes nothing when GitHub cannot say which pull requests are open', async () => {
    const { github, kubernetes } = await world();
    github.faults.inject({ kind: 'server-error', status: 502 }, { match: {} });
    await expect(sweep(github, kubernetes, false, Date.now() + 2 * HOUR)).rejects.toThrow();
    expect(kubernetes.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  });
});
