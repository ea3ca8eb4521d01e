/**
 * The informer against the fake Kubernetes API: paginated list then watch; 410 Gone (HTTP or ERROR event) makes it
 * list again and report what changed meanwhile; bookmarks keep a quiet watch resumable after compaction; dropped
 * connections and refused requests are retried with growing back-off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Informer, type InformerChange, type KubernetesObject } from '../../../plugin-server/kubernetes/informer.ts';
import { clientOf, startKubernetes } from '../../support/fake-kubernetes.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { FakeKubernetes } from '../../fake-kubernetes/index.ts';

const APPLICATIONS = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';

function application(name: string, labels: Record<string, string> = { 'dynenv.io/environment': 'preview' }) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', labels },
    spec: {
      project: 'checkout-previews',
      source: { repoURL: 'https://github.com/example-org/checkout.git', path: 'gitops/overlays/preview', targetRevision: 'abc' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
    },
  };
}

const informers: Array<Informer<KubernetesObject>> = [];
afterEach(async () => {
  await Promise.all(informers.splice(0).map((informer) => informer.stop()));
});

function watch(fake: FakeKubernetes, options: Partial<ConstructorParameters<typeof Informer>[1]> = {}) {
  const changes: string[] = [];
  const waits: number[] = [];
  const informer = new Informer<KubernetesObject>(clientOf(fake), {
    path: APPLICATIONS,
    pageSize: 2,
    random: () => 1,
    backoff: { initialMs: 100, maxMs: 1000 },
    // Records the back-off asked for and waits only a moment, so the test runs fast and can read the schedule.
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 2));
    },
    ...options,
  });
  informer.onChange((change: InformerChange, object) => changes.push(`${change} ${object.metadata.name}`));
  informers.push(informer);
  return { informer, changes, waits };
}

const names = (informer: Informer<KubernetesObject>) =>
  informer
    .list()
    .map((o) => o.metadata.name)
    .sort();

describe('Informer', () => {
  it('lists every page, then reports additions, changes and deletions as they happen', async () => {
    const fake = await startKubernetes();
    for (const name of ['pr-1', 'pr-2', 'pr-3', 'pr-4', 'pr-5']) fake.store.create('applications', application(name));
    const { informer, changes } = watch(fake);
    await informer.start();
    expect(names(informer)).toEqual(['pr-1', 'pr-2', 'pr-3', 'pr-4', 'pr-5']);
    // Five objects, two a page: three list requests, each continuing the last.
    const lists = fake.requests.filter((r) => r.path === APPLICATIONS && r.query.watch === undefined);
    expect(lists.map((r) => r.query.continue !== undefined)).toEqual([false, true, true]);

    fake.store.create('applications', application('pr-6'));
    const pr2 = fake.store.get('applications', 'argocd', 'pr-2')!;
    fake.store.update('applications', { ...pr2, metadata: { ...pr2.metadata, annotations: { touched: 'yes' } } });
    fake.store.delete('applications', 'argocd', 'pr-3');
    await waitFor(() => changes.length >= 8, 'the three changes arrive');
    expect(changes.slice(5)).toEqual(['added pr-6', 'modified pr-2', 'deleted pr-3']);
    expect(informer.get('pr-2', 'argocd')?.metadata.annotations).toEqual({ touched: 'yes' });
  });

  it('asks for bookmarks, and resumes after compaction from a bookmark without listing again', async () => {
    const fake = await startKubernetes();
    fake.store.create('applications', application('pr-1'));
    const { informer } = watch(fake, { labelSelector: 'dynenv.io/environment=preview' });
    await informer.start();
    await waitFor(() => fake.openWatches === 1, 'the watch is open');
    const watchRequest = fake.requests.find((r) => r.query.watch === '1')!;
    expect(watchRequest.query.allowWatchBookmarks).toBe('true');
    // Objects the selector leaves out move the resourceVersion; only a bookmark tells the informer.
    for (let i = 0; i < 5; i++) fake.store.create('applications', application(`other-${i}`, { team: 'x' }));
    fake.sendBookmarks();
    await waitFor(() => informer.stats.bookmarks === 1, 'the bookmark arrives');
    fake.store.compact();
    fake.endWatches();
    await waitFor(() => informer.stats.watches === 2 && fake.openWatches === 1, 'the watch resumes');
    expect(informer.stats.relistsAfterGone).toBe(0);
    expect(informer.stats.lists).toBe(1);
  });

  it('lists again after 410 Gone and reports what changed while it could not watch', async () => {
    const fake = await startKubernetes();
    for (const name of ['pr-1', 'pr-2']) fake.store.create('applications', application(name));
    const { informer, changes } = watch(fake);
    await informer.start();
    await waitFor(() => fake.openWatches === 1, 'the watch is open');
    // The connection drops and stays refused while pr-1 goes and pr-3 comes, and the history is compacted.
    const refused = fake.inject({ kind: 'reset', watch: true });
    fake.dropWatches();
    await waitFor(() => informer.stats.failures >= 1, 'the informer notices');
    fake.store.delete('applications', 'argocd', 'pr-1');
    fake.store.create('applications', application('pr-3'));
    fake.store.compact();
    refused.remaining = 0;
    await waitFor(() => informer.stats.relistsAfterGone === 1 && names(informer).join() === 'pr-2,pr-3', 'the informer lists again');
    expect(changes).toContain('deleted pr-1');
    expect(changes).toContain('added pr-3');
  });

  it('lists again when a watch reports 410 as an ERROR event (etcd compacted under it)', async () => {
    const fake = await startKubernetes();
    fake.store.create('applications', application('pr-1'));
    const { informer } = watch(fake);
    await informer.start();
    await waitFor(() => fake.openWatches === 1, 'the watch is open');
    fake.expireWatches();
    await waitFor(() => informer.stats.relistsAfterGone === 1 && informer.stats.lists === 2, 'the informer lists again');
    fake.store.create('applications', application('pr-2'));
    await waitFor(() => names(informer).join() === 'pr-1,pr-2', 'the new watch delivers');
  });

  it('backs off exponentially while the API refuses or drops it, then catches up', async () => {
    const fake = await startKubernetes();
    const refused = fake.inject({ kind: 'status', status: 503, watch: false, remaining: 3 });
    const { informer, waits } = watch(fake);
    await informer.start();
    expect(refused.remaining).toBe(0);
    // Ceilings double from 100 ms; random() = 1 takes the whole ceiling.
    expect(waits).toEqual([100, 200, 400]);
    const dropped = fake.inject({ kind: 'reset', watch: true, remaining: 5 });
    fake.dropWatches();
    await waitFor(() => dropped.remaining === 0 && fake.openWatches === 1, 'the watch comes back');
    expect(waits.slice(3, 8)).toEqual([100, 200, 400, 800, 1000]);
    fake.store.create('applications', application('pr-9'));
    await waitFor(() => names(informer).includes('pr-9'), 'pr-9 arrives');
  });
});
