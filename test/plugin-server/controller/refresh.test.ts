/**
 * Instant previews: a signed webhook that changes a repository's open pull requests makes the plugin server list
 * it again and then the controller set Argo CD's refresh annotation on the ApplicationSets that ask the plugin
 * about that repository, and only on those; with exactly the Role the generator synthesizes.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplicationSetRefresher, REFRESH_ANNOTATION } from '../../../plugin-server/controller/application-set-refresher.ts';
import type { RunningController } from '../../../plugin-server/controller/main.ts';
import { applicationSetsPath, type ApplicationSetObject } from '../../../plugin-server/controller/plugin-application-sets.ts';
import { Informer } from '../../../plugin-server/kubernetes/informer.ts';
import { RepositoryAllowlist } from '../../../plugin-server/repositories.ts';
import type { FakeKubernetes, StoredObject } from '../../fake-kubernetes/index.ts';
import { applyExampleApplicationSets, CONTROLLER_TOKEN, grantSynthesizedRole, startControllerFor } from '../../support/controller-world.ts';
import { clientOf, startKubernetes } from '../../support/fake-kubernetes.ts';
import { waitFor } from '../../support/wait-for.ts';
import { startHarness, type Harness } from '../harness.ts';
import { deliverPullRequestEvent } from '../webhook-delivery.ts';

const REPOSITORY = 'example-org/checkout';
const PLUGIN_CONFIGMAP = 'dynenv-plugin-checkout';

/** An ApplicationSet with `generators`, valid for Argo CD's schema. */
function applicationSet(name: string, generators: unknown[]): StoredObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name, namespace: 'argocd' },
    spec: {
      generators,
      template: {
        metadata: { name: `${name}-{{number}}` },
        spec: {
          project: 'default',
          source: { repoURL: 'https://example.test/x.git', path: '.' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'x' },
        },
      },
    },
  } as StoredObject;
}

const plugin = (configMap: string, parameters?: Record<string, unknown>) => ({
  plugin: { configMapRef: { name: configMap }, ...(parameters && { input: { parameters } }) },
});

/** Decoys: another plugin, another repository, no plugin; and one the controller must find nested in a matrix. */
function addOtherApplicationSets(fake: FakeKubernetes): void {
  fake.store.create('applicationsets', applicationSet('other-plugin', [plugin('someone-elses-plugin', { repo: REPOSITORY })]));
  fake.store.create('applicationsets', applicationSet('other-repository', [plugin(PLUGIN_CONFIGMAP, { repo: 'example-org/payments' })]));
  fake.store.create('applicationsets', applicationSet('list-only', [{ list: { elements: [{ number: '1' }] } }]));
  fake.store.create(
    'applicationsets',
    applicationSet('checkout-previews-matrix', [
      { matrix: { generators: [plugin(PLUGIN_CONFIGMAP, { repo: 'Example-Org/Checkout' }), { list: { elements: [{ cluster: 'a' }] } }] } },
    ]),
  );
}

const refreshed = (fake: FakeKubernetes) =>
  fake.store
    .list('applicationsets', 'argocd')
    .filter((set) => set.metadata.annotations?.[REFRESH_ANNOTATION] === 'true')
    .map((set) => set.metadata.name)
    .sort();

const running: Array<{ stop(): Promise<void> } | Harness> = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await ('stop' in thing ? thing.stop() : thing.close());
});

async function world() {
  const kubernetes = await startKubernetes();
  await grantSynthesizedRole(kubernetes);
  const synthesized = await applyExampleApplicationSets(kubernetes);
  addOtherApplicationSets(kubernetes);
  // The Role names the synthesized ApplicationSets; the matrix one is someone else's, which it may not patch.
  const controller: RunningController = await startControllerFor(kubernetes, { DYNENV_REPOS: REPOSITORY });
  running.push(controller);
  const port = (controller.app.server.address() as AddressInfo).port;
  const plugin = await startHarness({ repositories: [REPOSITORY], controllerUrl: `http://127.0.0.1:${port}` });
  running.push(plugin);
  return { kubernetes, plugin, controller, synthesized };
}

describe('instant previews: the refresh annotation after a webhook', () => {
  it('is set, after the plugin listed GitHub again, on the ApplicationSets dynenv wrote for that repository and no other', async () => {
    const { kubernetes, plugin, synthesized } = await world();
    // A preview's two halves: its fence and its workloads.
    expect(synthesized).toEqual(['checkout-preview-fences', 'checkout-previews']);
    const order: string[] = [];
    plugin.fake.onRequest((request) => {
      if (request.method === 'GET' && request.path.endsWith('/pulls')) order.push('github listing');
    });
    kubernetes.store.onEvent((event) => {
      if (event.resource === 'applicationsets' && event.type === 'MODIFIED') order.push(`annotated ${event.object.metadata.name}`);
    });
    const pull = plugin.fake.openPullRequest(REPOSITORY);
    await deliverPullRequestEvent(plugin, { action: 'opened', repository: REPOSITORY, number: pull.number });
    await waitFor(
      () => refreshed(kubernetes).includes('checkout-previews') && refreshed(kubernetes).includes('checkout-preview-fences'),
      'the preview ApplicationSets are annotated',
    );
    expect(order[0]).toBe('github listing');
    expect(order).toContain('annotated checkout-previews');
    expect(order).toContain('annotated checkout-preview-fences');

    // The nested one uses the plugin too, but the Role does not let the controller touch what it did not write.
    await waitFor(() => kubernetes.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/checkout-previews-matrix')), 'the matrix set is tried');
    const patches = kubernetes.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => `${r.path.split('/').pop()} ${r.status}`).sort()).toEqual([
      'checkout-preview-fences 200',
      'checkout-previews 200',
      'checkout-previews-matrix 403',
    ]);
    expect(refreshed(kubernetes).sort()).toEqual(['checkout-preview-fences', 'checkout-previews']);
    // A merge patch of the one annotation: nothing else of the ApplicationSet can change through it.
    expect(patches[0]).toMatchObject({
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { [REFRESH_ANNOTATION]: 'true' } } },
    });
    expect(kubernetes.requests.every((r) => r.user === `system:serviceaccount:argocd:dynenv-plugin-checkout`)).toBe(true);
  });

  it('is set for every action that changes which previews exist or what they run, and not for others', async () => {
    const { kubernetes, plugin } = await world();
    const pull = plugin.fake.openPullRequest(REPOSITORY);
    const patchesOf = () => kubernetes.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/checkout-previews')).length;
    for (const action of ['assigned', 'review_requested', 'milestoned']) {
      await deliverPullRequestEvent(plugin, { action, repository: REPOSITORY, number: pull.number });
    }
    const actions = ['opened', 'reopened', 'closed', 'synchronize', 'labeled', 'unlabeled', 'ready_for_review', 'converted_to_draft'];
    for (const [i, action] of actions.entries()) {
      // Argo CD removes the annotation once it has regenerated the set.
      kubernetes.store.update('applicationsets', withoutRefresh(kubernetes.store.get('applicationsets', 'argocd', 'checkout-previews')!));
      await deliverPullRequestEvent(plugin, { action, repository: REPOSITORY, number: pull.number });
      await waitFor(() => patchesOf() === i + 1, `the refresh after "${action}"`);
    }
    expect(patchesOf()).toBe(actions.length);
  });

  it('is not set for a repository the server does not serve, nor for a forged webhook', async () => {
    const { kubernetes, plugin } = await world();
    await deliverPullRequestEvent(plugin, { action: 'opened', repository: 'example-org/payments', number: 1 }).catch(() => undefined);
    const forged = await plugin.app.inject({
      method: 'POST',
      url: '/api/v1/webhook/github',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': 'sha256=00' },
      payload: JSON.stringify({ action: 'opened', repository: { full_name: REPOSITORY } }),
    });
    expect(forged.statusCode).toBe(401);
    // No waiting to see nothing happen: one served webhook after them makes exactly one round of patches (the
    // two sets dynenv wrote, and the matrix the Role refuses), none of them for the two refused deliveries.
    const pull = plugin.fake.openPullRequest(REPOSITORY);
    await deliverPullRequestEvent(plugin, { action: 'opened', repository: REPOSITORY, number: pull.number });
    const patches = () =>
      kubernetes.requests
        .filter((r) => r.method === 'PATCH')
        .map((r) => `${r.path.split('/').pop()} ${r.status}`)
        .sort();
    await waitFor(() => patches().length >= 3, 'one round of patches');
    expect(patches()).toEqual(['checkout-preview-fences 200', 'checkout-previews 200', 'checkout-previews-matrix 403']);
  });

  it('is refused from outside the pod: only a loopback caller may ask for a refresh', async () => {
    const { controller } = await world();
    const answer = await controller.app.inject({ method: 'POST', url: '/api/v1/refresh', payload: { repository: REPOSITORY }, remoteAddress: '10.1.2.3' });
    expect(answer.statusCode).toBe(403);
  });
});

describe('ApplicationSetRefresher', () => {
  async function refresher(kubernetes: FakeKubernetes) {
    const client = clientOf(kubernetes, CONTROLLER_TOKEN);
    const applicationSets = new Informer<ApplicationSetObject>(client, { path: applicationSetsPath('argocd') });
    running.push({ stop: () => applicationSets.stop() });
    await applicationSets.start();
    return new ApplicationSetRefresher({
      client,
      applicationSets,
      namespace: 'argocd',
      pluginConfigMap: PLUGIN_CONFIGMAP,
      allowlist: new RepositoryAllowlist([REPOSITORY]),
      pause: async () => undefined,
    });
  }

  it('coalesces a burst: ten notices while one round runs cost one more round, not ten', async () => {
    const kubernetes = await startKubernetes();
    await grantSynthesizedRole(kubernetes);
    await applyExampleApplicationSets(kubernetes);
    const subject = await refresher(kubernetes);
    const rounds = await Promise.all(Array.from({ length: 10 }, () => subject.refresh(REPOSITORY)));
    expect(rounds.every((names) => [...names].sort().join() === 'checkout-preview-fences,checkout-previews')).toBe(true);
    // Two rounds, each patching both of a preview's ApplicationSets.
    expect(kubernetes.requests.filter((r) => r.method === 'PATCH')).toHaveLength(4);
  });

  it('retries a patch the API server fails, and gives up at once on a refusal', async () => {
    const kubernetes = await startKubernetes();
    await grantSynthesizedRole(kubernetes);
    await applyExampleApplicationSets(kubernetes);
    kubernetes.store.create('applicationsets', applicationSet('not-ours', [plugin(PLUGIN_CONFIGMAP)]));
    const subject = await refresher(kubernetes);
    const failing = kubernetes.inject({ kind: 'status', status: 503, method: 'PATCH', path: /checkout-previews$/, remaining: 2 });
    expect([...(await subject.refresh(REPOSITORY))].sort()).toEqual(['checkout-preview-fences', 'checkout-previews']);
    expect(failing.remaining).toBe(0);
    const tries = (name: string) => kubernetes.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/${name}`)).map((r) => r.status);
    expect(tries('checkout-previews')).toEqual([503, 503, 200]);
    expect(tries('not-ours')).toEqual([403]);
  });
});

function withoutRefresh(set: StoredObject): StoredObject {
  const annotations = { ...set.metadata.annotations };
  delete annotations[REFRESH_ANNOTATION];
  return { ...set, metadata: { ...set.metadata, annotations } };
}
