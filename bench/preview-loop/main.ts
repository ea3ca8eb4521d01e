/**
 * PR opened → Application exists, two paths in the same run (npm run bench:preview-loop [-- --pulls N]):
 *
 * - instant: the signed webhook reaches the plugin server, which lists GitHub again and tells the controller, which
 *   sets the refresh annotation; a simulated ApplicationSet controller that watches the annotation (as Argo CD's
 *   does) asks the plugin and creates the Application. Real time, every hop over loopback HTTP.
 * - today: the same webhook, no controller: the Application appears at the ApplicationSet's next poll, i.e. after
 *   the rest of `requeueAfterSeconds` (60 s, the example's; the PR opens at a random point of the interval) plus the
 *   same poll's own time, measured.
 *
 * Prints p50 and p95 of each, in milliseconds.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sign } from '@octokit/webhooks-methods';
import { REFRESH_ANNOTATION } from '../../plugin-server/controller/application-set-refresher.ts';
import type { StoredObject } from '../../test/fake-kubernetes/index.ts';
import { startFakeKubernetes } from '../../test/fake-kubernetes/index.ts';
import { startHarness, WEBHOOK_SECRET, type Harness } from '../../test/plugin-server/harness.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startController } from '../../plugin-server/controller/main.ts';
import { loadConfig } from '../../src/config/load.ts';
import { synthesizeTree } from '../../src/gitops/tree.ts';
import { percentile, row } from '../support/stats.ts';

const REPOSITORY = 'example-org/checkout';
const REQUEUE_MS = 60_000;
const { values } = parseArgs({ options: { pulls: { type: 'string', default: '40' } } });
const pulls = Number(values.pulls);

// The example's synthesized argocd/ objects: its ApplicationSet in the cluster, its Role for the controller.
const tree = await synthesizeTree(await loadConfig('dynenv.yaml'));
const objects = [...tree]
  .filter(([file]) => file.startsWith('argocd/') && !file.endsWith('kustomization.yaml'))
  .flatMap(([, text]) => parseAllDocuments(text).map((document) => document.toJS() as StoredObject & { rules?: never[] }));
const kubernetes = await startFakeKubernetes();
const role = objects.find((o) => o.kind === 'Role' && o.metadata.name.startsWith('dynenv-plugin-'))!;
kubernetes.addIdentity('controller', { user: 'controller', grants: [{ namespace: role.metadata.namespace, rules: role.rules ?? [] }] });
const setName = objects.find((o) => o.kind === 'ApplicationSet')!.metadata.name;
for (const set of objects.filter((o) => o.kind === 'ApplicationSet')) kubernetes.store.create('applicationsets', set);
const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'dynenv-bench-')), 'config');
writeFileSync(
  kubeconfig,
  `apiVersion: v1\nkind: Config\ncurrent-context: fake\ncontexts: [{ name: fake, context: { cluster: fake, user: c } }]\nclusters: [{ name: fake, cluster: { server: "${kubernetes.url}" } }]\nusers: [{ name: c, user: { token: controller } }]\n`,
);
const controller = await startController(
  {
    KUBECONFIG: kubeconfig,
    DYNENV_REPOS: REPOSITORY,
    DYNENV_PLUGIN_CONFIGMAP: 'dynenv-plugin-checkout',
    DYNENV_CONTROLLER_HOST: '127.0.0.1',
    DYNENV_CONTROLLER_PORT: '0',
    DYNENV_LOG_LEVEL: 'silent',
  },
  { defaultMetrics: false },
);
const controllerUrl = `http://127.0.0.1:${(controller.app.server.address() as AddressInfo).port}`;
const instant = await startHarness({ repositories: [REPOSITORY], controllerUrl });
const today = await startHarness({ repositories: [REPOSITORY] });

async function deliver(h: Harness, number: number): Promise<void> {
  const body = JSON.stringify({ action: 'opened', number, repository: { full_name: REPOSITORY }, pull_request: { number } });
  await h.app.inject({
    method: 'POST',
    url: '/api/v1/webhook/github',
    headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, body) },
    payload: body,
  });
}

/** Argo CD's ApplicationSet controller, reduced to: asks the plugin, creates the Applications it answers. */
async function reconcile(h: Harness, created: Set<number>): Promise<void> {
  const response = await h.getParams({ repo: REPOSITORY });
  for (const set of (response.json() as { output: { parameters: Array<{ number: string }> } }).output.parameters) {
    const number = Number(set.number);
    if (created.has(number)) continue;
    created.add(number);
    kubernetes.store.create('applications', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `checkout-pr-${number}-${h === instant ? 'i' : 't'}`, namespace: 'argocd' },
      spec: {
        project: 'checkout-previews',
        source: { repoURL: 'https://github.com/example-org/checkout.git', path: 'gitops/overlays/preview' },
        destination: { server: 'https://kubernetes.default.svc', namespace: `checkout-pr-${number}` },
      },
    } as StoredObject);
  }
}

// The instant path: react to the annotation the moment it is set, then remove it, as Argo CD does.
const createdInstant = new Set<number>();
let pending: Promise<void> = Promise.resolve();
kubernetes.store.onEvent((event) => {
  if (event.resource !== 'applicationsets' || event.object.metadata.annotations?.[REFRESH_ANNOTATION] !== 'true') return;
  pending = pending.then(async () => {
    await reconcile(instant, createdInstant);
    const current = kubernetes.store.get('applicationsets', 'argocd', event.object.metadata.name)!;
    const annotations = { ...current.metadata.annotations };
    delete annotations[REFRESH_ANNOTATION];
    kubernetes.store.update('applicationsets', { ...current, metadata: { ...current.metadata, annotations } });
  });
});

const instantMs: number[] = [];
const todayMs: number[] = [];
const createdToday = new Set<number>();
for (let i = 0; i < pulls; i++) {
  const pull = instant.fake.openPullRequest(REPOSITORY);
  let started = performance.now();
  await deliver(instant, pull.number);
  while (!createdInstant.has(pull.number)) await new Promise((resolve) => setTimeout(resolve, 1));
  instantMs.push(performance.now() - started);

  const other = today.fake.openPullRequest(REPOSITORY);
  await deliver(today, other.number);
  const waitForPoll = Math.random() * REQUEUE_MS;
  started = performance.now();
  await reconcile(today, createdToday);
  todayMs.push(waitForPoll + performance.now() - started);
}
await pending;

const widths = [40, 10, 10];
console.log(`PR opened → Application exists, ${pulls} pull requests (set ${setName}), same run`);
console.log(row(['path', 'p50 ms', 'p95 ms'], widths));
console.log(row(['instant (webhook → refresh annotation)', percentile(instantMs, 0.5).toFixed(1), percentile(instantMs, 0.95).toFixed(1)], widths));
console.log(row([`today (next poll, every ${REQUEUE_MS / 1000} s)`, percentile(todayMs, 0.5).toFixed(0), percentile(todayMs, 0.95).toFixed(0)], widths));

await Promise.all([instant.close(), today.close(), controller.stop()]);
await kubernetes.close();
