/**
 * The preview loop as it runs, on one manual clock: the fake GitHub; the plugin server (its webhook re-lists and
 * notifies the controller over loopback HTTP); the controller (refresher and status reporter, with exactly the
 * synthesized Role) on the fake Kubernetes API; the synthesized preview ApplicationSets, each reconciled by the
 * simulated ApplicationSet controller (refresh annotation and poll) that asks the plugin; and Argo CD's
 * application controller syncing what it makes. A pull request opened on GitHub becomes an Application only
 * through that chain. The controller can be restarted (its memory lost, GitHub read back, the same port).
 */
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../plugin-server/app.ts';
import { createControllerNotice } from '../../plugin-server/controller-notice.ts';
import { buildControllerServer } from '../../plugin-server/controller/app.ts';
import { ApplicationSetRefresher } from '../../plugin-server/controller/application-set-refresher.ts';
import { ControllerMetrics } from '../../plugin-server/controller/metrics.ts';
import { applicationSetsPath, type ApplicationSetObject } from '../../plugin-server/controller/plugin-application-sets.ts';
import type { ApplicationObject } from '../../plugin-server/controller/status/application-state.ts';
import { StatusReporter } from '../../plugin-server/controller/status/status-reporter.ts';
import { createGitHubClient } from '../../plugin-server/github/client.ts';
import { GitHubPullRequestSource } from '../../plugin-server/github/pull-request-source.ts';
import { Informer } from '../../plugin-server/kubernetes/informer.ts';
import { RepositoryAllowlist } from '../../plugin-server/repositories.ts';
import type { FakeGitHub } from '../fake-github/index.ts';
import type { FakeKubernetes } from '../fake-kubernetes/index.ts';
import { PLUGIN_TOKEN, WEBHOOK_SECRET } from '../plugin-server/harness.ts';
import { deliverPullRequestEvent } from '../plugin-server/webhook-delivery.ts';
import { ApplicationSetInCluster, pluginGeneratorOf } from './applicationset-in-cluster.ts';
import { selectsByParameters, SimulatedApplicationSetController } from './applicationset-controller.ts';
import { SimulatedApplicationController } from './argocd-application-controller.ts';
import { ArgoCdSimulation } from './argocd-simulation.ts';
import { applyExampleApplicationSets, CONTROLLER_TOKEN, grantSynthesizedRole, grantSynthesizedSweepAccess } from './controller-world.ts';
import { startGitHub } from './fake-github.ts';
import { clientOf, startKubernetes } from './fake-kubernetes.ts';
import { ManualTimers } from './manual-timers.ts';
import { PreviewWorld } from './preview-world.ts';

export const REPOSITORY = 'example-org/checkout';
export const APP = 'checkout';
const PLUGIN_CONFIGMAP = 'dynenv-plugin-checkout';
const APPLICATIONS = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';

export interface LoopController {
  readonly reporter: StatusReporter;
  readonly applications: Informer<ApplicationObject>;
  /** Its loopback port, where the plugin server's notices go. */
  readonly port: number;
  stop(): Promise<void>;
}

export interface LoopWorld {
  readonly github: FakeGitHub;
  readonly kubernetes: FakeKubernetes;
  readonly timers: ManualTimers;
  /** The pull requests: every change goes through here, and is delivered to the plugin as a signed webhook. */
  readonly pulls: PreviewWorld;
  readonly plugin: FastifyInstance;
  readonly applicationSets: readonly ApplicationSetInCluster[];
  readonly argo: ArgoCdSimulation;
  readonly applicationController: SimulatedApplicationController;
  controller: LoopController;
  /** Pull requests that ever had a preview Application. */
  readonly previewed: Set<number>;
}

async function startController(world: Pick<LoopWorld, 'github' | 'kubernetes' | 'timers'>, port: number): Promise<LoopController> {
  const { github, kubernetes, timers } = world;
  const client = clientOf(kubernetes, CONTROLLER_TOKEN);
  const backoff = { initialMs: 5, maxMs: 50 };
  const applications = new Informer<ApplicationObject>(client, { path: APPLICATIONS, labelSelector: 'app.kubernetes.io/managed-by=dynenv', backoff });
  const applicationSets = new Informer<ApplicationSetObject>(client, { path: applicationSetsPath('argocd'), backoff });
  const allowlist = new RepositoryAllowlist([REPOSITORY]);
  const octokit = createGitHubClient({
    apiUrl: github.url,
    credentials: { kind: 'token', token: github.token },
    retries: 0,
    retryAfterBaseValueMs: 1,
    spaceWrites: false,
  });
  const reporter = new StatusReporter({
    octokit,
    applications,
    applicationSets,
    pullRequests: new GitHubPullRequestSource({ octokit, clock: timers, timeoutMs: 5_000 }),
    allowlist,
    argocdUrl: 'https://argocd.example.test',
    timers,
  });
  // Its retries do not wait: a patch the API server fails is tried again at once, up to three times.
  const refresher = new ApplicationSetRefresher({
    client,
    applicationSets,
    namespace: 'argocd',
    pluginConfigMap: PLUGIN_CONFIGMAP,
    allowlist,
    pause: async () => undefined,
  });
  const server = buildControllerServer({
    refresher,
    onRepositoryChanged: (repository) => reporter.repositoryChanged(repository),
    allowlist,
    metrics: new ControllerMetrics(),
    ready: () => true,
    logger: false,
  });
  await server.listen({ host: '127.0.0.1', port });
  await Promise.all([applications.start(), applicationSets.start()]);
  await reporter.start();
  return {
    reporter,
    applications,
    port: (server.server.address() as { port: number }).port,
    stop: async () => {
      reporter.stop();
      await reporter.idle();
      await server.close();
      await Promise.all([applications.stop(), applicationSets.stop()]);
      client.close();
    },
  };
}

const running: LoopWorld[] = [];
const notices = new Set<Promise<void>>();

/** Stops what the worlds started (the fakes close themselves after each test). */
export async function stopWorlds(): Promise<void> {
  for (const world of running.splice(0)) {
    for (const set of world.applicationSets) set.stop();
    world.applicationController.stop();
    await world.controller.stop();
    await world.plugin.close();
  }
}

export async function startLoopWorld(): Promise<LoopWorld> {
  const timers = new ManualTimers(Date.parse('2025-01-01T00:00:00Z'));
  const github = await startGitHub(REPOSITORY, { clock: timers });
  const kubernetes = await startKubernetes();
  kubernetes.store.now = () => timers.now();
  await grantSynthesizedRole(kubernetes);
  await grantSynthesizedSweepAccess(kubernetes);
  const setNames = await applyExampleApplicationSets(kubernetes);
  const controller = await startController({ github, kubernetes, timers }, 0);

  const octokit = createGitHubClient({ apiUrl: github.url, credentials: { kind: 'token', token: github.token }, clock: timers, retryAfterBaseValueMs: 0 });
  const source = new GitHubPullRequestSource({ octokit, clock: timers, revalidateIntervalMs: 1000, timeoutMs: 5_000 });
  const silent = { info: () => undefined, warn: () => undefined };
  const notice = createControllerNotice({ controllerUrl: `http://127.0.0.1:${controller.port}`, pullRequests: source, logger: silent });
  const plugin = buildServer({
    config: { pluginToken: PLUGIN_TOKEN, basePath: '', webhookSecret: WEBHOOK_SECRET, repositories: [REPOSITORY] },
    pullRequests: source,
    clock: timers,
    logger: false,
    onListingChanged: (repository) => {
      const done = notice(repository).finally(() => notices.delete(done));
      notices.add(done);
      return done;
    },
  });
  await plugin.ready();
  const pulls = new PreviewWorld(github, REPOSITORY, { now: () => timers.now(), notify: (event) => deliverPullRequestEvent({ app: plugin }, event) });

  const applicationSets = setNames.map((name) => {
    const { parameters } = pluginGeneratorOf(kubernetes.store.get('applicationsets', 'argocd', name)!);
    const ask = async () => {
      const response = await plugin.inject({
        method: 'POST',
        url: '/api/v1/getparams.execute',
        headers: { authorization: `Bearer ${PLUGIN_TOKEN}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ applicationSetName: name, input: { parameters } }),
      });
      return { status: response.statusCode, body: response.body };
    };
    const judged = new SimulatedApplicationSetController(pulls, { name, ask, selects: selectsByParameters(parameters, () => timers.now()) });
    return new ApplicationSetInCluster(kubernetes, timers, judged, name);
  });
  const workloads = setNames.find((name) => !name.endsWith('fences'))!;
  const argo = new ArgoCdSimulation(kubernetes, {
    app: APP,
    repoURL: 'https://github.com/example-org/checkout.git',
    applicationSet: workloads,
    host: (n) => `pr-${n}.preview.example.com`,
  });
  const previewed = new Set<number>();
  kubernetes.store.onEvent((event) => {
    const labels = event.object.metadata.labels ?? {};
    if (event.resource === 'applications' && event.type === 'ADDED' && labels['dynenv.io/preview-part'] === 'workloads')
      previewed.add(Number(labels['dynenv.io/pull-request']));
  });
  const world: LoopWorld = {
    github,
    kubernetes,
    timers,
    pulls,
    plugin,
    applicationSets,
    argo,
    applicationController: new SimulatedApplicationController(kubernetes, argo, APP),
    controller,
    previewed,
  };
  running.push(world);
  for (const set of applicationSets) set.start();
  return world;
}

/** The controller process restarts: its memory is lost, it lists again and reads GitHub back, on the same port. */
export async function restartController(world: LoopWorld): Promise<void> {
  const { port } = world.controller;
  await world.controller.stop();
  world.controller = await startController(world, port);
}

/** Whether the controller's watch shows every dynenv Application as the API server holds it. */
function caughtUp(world: LoopWorld): boolean {
  const stored = world.kubernetes.store
    .list('applications', 'argocd')
    .filter((a) => a.metadata.labels?.['app.kubernetes.io/managed-by'] === 'dynenv')
    .map((a) => `${a.metadata.name}@${a.metadata.resourceVersion}`)
    .sort();
  const seen = world.controller.applications
    .list()
    .map((a) => `${a.metadata.name}@${a.metadata.resourceVersion}`)
    .sort();
  return stored.join() === seen.join();
}

/**
 * Lets everything that is not waiting on the clock finish: webhook notices and the refreshes they ask for, the
 * ApplicationSets' reconciles, Argo CD's reactions, the controller's watch catching up and the reports it makes.
 */
export async function quiesce(world: LoopWorld): Promise<void> {
  let stable = 0;
  for (let round = 0; round < 5_000; round++) {
    await Promise.allSettled([...notices]);
    await Promise.all([...world.applicationSets.map((set) => set.idle()), world.applicationController.idle(), world.controller.reporter.idle()]);
    // A turn of the event loop (a millisecond while the watch lags: it may be backing off), for loopback round
    // trips to arrive; no outcome waits on real time: the loop ends only once the controller's watch shows what
    // is stored and nothing is in flight.
    await new Promise((resolve) => (caughtUp(world) ? setImmediate(resolve) : setTimeout(resolve, 1)));
    stable = notices.size === 0 && caughtUp(world) ? stable + 1 : 0;
    if (stable >= 2) return;
  }
  throw new Error('the world never settled: the controller does not see the Applications as stored');
}

/** Moves simulated time by `ms`, `stepMs` at a time, letting what falls due finish. */
export async function tick(world: LoopWorld, ms: number, stepMs = 250): Promise<void> {
  for (let left = ms; left > 0; left -= stepMs) {
    world.timers.advance(Math.min(stepMs, left));
    await quiesce(world);
  }
}
