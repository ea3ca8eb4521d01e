/**
 * Status on the pull request, in a simulated world: generated scripts of pull requests opening, pushing and
 * closing, Argo CD moving their preview Applications through sync and health states, GitHub failing, Kubernetes
 * watches dropping, and the controller restarting (its memory lost, GitHub read back), on a manual clock.
 * Whatever the script: exactly one comment per pull request that had a preview; the last status of every
 * Deployment is the truth 5 s (simulated) after the last transition; a steady hour writes nothing to GitHub.
 */
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applicationSetsPath, type ApplicationSetObject } from '../../../plugin-server/controller/plugin-application-sets.ts';
import type { ApplicationObject } from '../../../plugin-server/controller/status/application-state.ts';
import { commentMarker } from '../../../plugin-server/controller/status/preview-comment.ts';
import { StatusReporter } from '../../../plugin-server/controller/status/status-reporter.ts';
import { createGitHubClient } from '../../../plugin-server/github/client.ts';
import { GitHubPullRequestSource } from '../../../plugin-server/github/pull-request-source.ts';
import { Informer } from '../../../plugin-server/kubernetes/informer.ts';
import { RepositoryAllowlist } from '../../../plugin-server/repositories.ts';
import type { FakeGitHub, FaultRule } from '../../fake-github/index.ts';
import type { FakeKubernetes } from '../../fake-kubernetes/index.ts';
import { kustomizeBuild } from '../../../src/gitops/kustomize-build.ts';
import { planSync } from '../../../src/validate/sync-simulation/sync-plan.ts';
import { orderedSyncTasks } from '../../../src/validate/sync-simulation/sync-tasks.ts';
import { ArgoCdSimulation, EXPECTED_STATE, playSync, type PreviewPhase } from '../../support/argocd-simulation.ts';
import { configWith, writeTree } from '../../support/example.ts';
import { tempDir } from '../../support/workspace.ts';
import { applyExampleApplicationSets, CONTROLLER_TOKEN, grantSynthesizedRole } from '../../support/controller-world.ts';
import { startGitHub } from '../../support/fake-github.ts';
import { clientOf, startKubernetes } from '../../support/fake-kubernetes.ts';
import { ManualTimers } from '../../support/manual-timers.ts';
import { waitFor } from '../../support/wait-for.ts';
import { fuzzRuns } from '../answer-judge.ts';

const REPOSITORY = 'example-org/checkout';
const APP = 'checkout';
const APPLICATIONS = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';

interface Controller {
  readonly reporter: StatusReporter;
  readonly applications: Informer<ApplicationObject>;
  stop(): Promise<void>;
}

interface World {
  readonly github: FakeGitHub;
  readonly kubernetes: FakeKubernetes;
  readonly timers: ManualTimers;
  readonly argo: ArgoCdSimulation;
  controller: Controller;
  /** Pull requests that ever had a preview Application. */
  readonly previewed: Set<number>;
}

async function startController(github: FakeGitHub, kubernetes: FakeKubernetes, timers: ManualTimers): Promise<Controller> {
  const client = clientOf(kubernetes, CONTROLLER_TOKEN);
  const backoff = { initialMs: 5, maxMs: 50 };
  const applications = new Informer<ApplicationObject>(client, { path: APPLICATIONS, labelSelector: 'app.kubernetes.io/managed-by=dynenv', backoff });
  const applicationSets = new Informer<ApplicationSetObject>(client, { path: applicationSetsPath('argocd'), backoff });
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
    allowlist: new RepositoryAllowlist([REPOSITORY]),
    argocdUrl: 'https://argocd.example.test',
    timers,
  });
  await Promise.all([applications.start(), applicationSets.start()]);
  await reporter.start();
  return {
    reporter,
    applications,
    stop: async () => {
      reporter.stop();
      await reporter.idle();
      await Promise.all([applications.stop(), applicationSets.stop()]);
      client.close();
    },
  };
}

const worlds: World[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.controller.stop();
});

async function startWorld(): Promise<World> {
  const github = await startGitHub(REPOSITORY);
  const kubernetes = await startKubernetes();
  await grantSynthesizedRole(kubernetes);
  const [applicationSet] = await applyExampleApplicationSets(kubernetes);
  const timers = new ManualTimers(github.now().getTime());
  const argo = new ArgoCdSimulation(kubernetes, {
    app: APP,
    repoURL: 'https://github.com/example-org/checkout.git',
    applicationSet: applicationSet!,
    host: (n) => `pr-${n}.preview.example.com`,
  });
  const world: World = { github, kubernetes, timers, argo, controller: await startController(github, kubernetes, timers), previewed: new Set() };
  worlds.push(world);
  return world;
}

/** Lets the controller see the Kubernetes change at `resourceVersion` (or the deletion of `name`). */
async function seen(world: World, name: string, resourceVersion: string | undefined): Promise<void> {
  await waitFor(
    () => world.controller.applications.get(name, 'argocd')?.metadata.resourceVersion === resourceVersion,
    `the controller sees ${name} at ${resourceVersion ?? 'deleted'}`,
  );
}

async function settle(world: World): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await world.controller.reporter.idle();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Moves simulated time by `ms`, `stepMs` at a time, letting what falls due finish. */
async function tick(world: World, ms: number, stepMs = 250): Promise<void> {
  for (let left = ms; left > 0; left -= stepMs) {
    world.timers.advance(Math.min(stepMs, left));
    await settle(world);
  }
}

/** The truth, as GitHub must show it. */
function expectTruth(world: World): void {
  const { deployments, comments } = world.github;
  for (const number of world.previewed) {
    const environment = `${APP}-pr-${number}`;
    const all = deployments.of(REPOSITORY, environment);
    const preview = world.argo.previews.get(number);
    const label = `pr-${number} (${preview ? `${preview.phase} at ${preview.sha.slice(0, 7)}` : 'closed'})`;
    if (preview) {
      const current = all.filter((d) => d.sha === preview.sha);
      expect(current, label).toHaveLength(1);
      expect(deployments.lastState(current[0]!), label).toBe(EXPECTED_STATE[preview.phase]);
      if (preview.phase === 'healthy') expect(current[0]!.statuses.at(-1)?.environmentUrl).toBe(`https://pr-${number}.preview.example.com`);
    }
    for (const deployment of all.filter((d) => d.sha !== preview?.sha))
      expect(deployments.lastState(deployment), `${label}: ${deployment.sha.slice(0, 7)}`).toBe('inactive');
    const ours = comments.on(REPOSITORY, number).filter((c) => c.body.startsWith(commentMarker(APP)));
    // A preview that came and went within one debounce was never reported: no comment, never two.
    if (preview) expect(ours, `${label}: one comment`).toHaveLength(1);
    else expect(ours.length, `${label}: at most one comment`).toBeLessThanOrEqual(1);
    if (!preview && ours.length === 1) expect(ours[0]!.body).toContain('removed');
  }
}

const writes = (github: FakeGitHub) => github.requests.filter((r) => r.method !== 'GET').length;

type Step =
  | { kind: 'open' }
  | { kind: 'move'; pick: number; phase: PreviewPhase }
  | { kind: 'push' | 'close'; pick: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'github-fault' | 'github-heal' | 'drop-watches' | 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'open' as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      pick: fc.nat(),
      phase: fc.constantFrom<PreviewPhase>('syncing', 'healthy', 'degraded', 'hook-failed'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('push' as const, 'close' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { kind: 'github-fault' as const },
      { kind: 'github-heal' as const },
      { kind: 'drop-watches' as const },
      { kind: 'restart' as const },
    ),
  },
);

const totals = { scripts: 0, steps: 0, restarts: 0, faults: 0, writes: 0, steadyHourWrites: 0 };
afterAll(() => {
  console.info(`status-world.test.ts: ${JSON.stringify(totals)}`);
});

async function runScript(steps: readonly Step[]): Promise<void> {
  const world = await startWorld();
  let fault: FaultRule | undefined;
  const open = () => [...world.argo.previews.keys()];
  for (const next of steps) {
    totals.steps += 1;
    const pick = 'pick' in next ? open()[next.pick % Math.max(open().length, 1)] : undefined;
    if (next.kind === 'open') {
      const pull = world.github.openPullRequest(REPOSITORY);
      world.previewed.add(pull.number);
      await seen(world, world.argo.name(pull.number), world.argo.create(pull.number, pull.headSha));
    } else if (next.kind === 'move' && pick !== undefined) {
      await seen(world, world.argo.name(pick), world.argo.move(pick, next.phase));
    } else if (next.kind === 'push' && pick !== undefined) {
      const pull = world.github.pushCommit(REPOSITORY, pick);
      await seen(world, world.argo.name(pick), world.argo.push(pick, pull.headSha));
    } else if (next.kind === 'close' && pick !== undefined) {
      world.github.closePullRequest(REPOSITORY, pick);
      world.argo.remove(pick);
      await seen(world, world.argo.name(pick), undefined);
    } else if (next.kind === 'wait') await tick(world, next.ms);
    else if (next.kind === 'github-fault' && !fault) {
      fault = world.github.faults.inject({ kind: 'server-error', status: 502 }, { match: {} });
      totals.faults += 1;
    } else if (next.kind === 'github-heal') {
      fault?.remove();
      fault = undefined;
    } else if (next.kind === 'drop-watches') world.kubernetes.dropWatches();
    else if (next.kind === 'restart') {
      await world.controller.stop();
      world.controller = await startController(world.github, world.kubernetes, world.timers);
      totals.restarts += 1;
    }
    await settle(world);
  }
  fault?.remove();
  // The last transition was the last step: 5 simulated seconds later, GitHub shows the truth.
  await tick(world, 5_000);
  expectTruth(world);
  const before = writes(world.github);
  await tick(world, 3_600_000, 60_000);
  expect(writes(world.github) - before, 'writes in a steady hour').toBe(0);
  totals.writes += before;
  expect(world.github.schemaViolations).toEqual([]);
}

describe('status on the pull request, in a simulated world', () => {
  it('one comment per pull request, every last status true 5 s after the last transition, nothing written in a steady hour', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 8, maxLength: 30 }), async (steps) => {
        await runScript(steps);
        totals.scripts += 1;
      }),
      { numRuns: fuzzRuns(6) },
    );
    expect(totals.writes).toBeGreaterThan(0);
  }, 300_000);
});

describe("a preview's smoke test (issue 13 item 5), played as Argo CD syncs the synthesized preview", () => {
  it('runs last, once everything else is applied and healthy; its failure fails the sync and the pull request shows it, naming the test', async () => {
    const dir = await tempDir();
    const config = configWith((data) => {
      data.preview.smokeTest = { image: 'ghcr.io/example-org/checkout-smoke:1.4.0', command: ['npm', 'run', 'smoke'] };
    });
    await writeTree(config, dir);
    const objects = await kustomizeBuild(path.join(dir, 'overlays/preview'));
    const namespace = `${APP}-pr-1`;

    // gitops-engine's order: the smoke test is the one task of the last step, and every step before it waits
    // for its resources to be healthy, so the test runs against a preview whose pods are all ready.
    const plan = planSync(orderedSyncTasks(objects, namespace));
    expect(plan.steps.at(-1)!.tasks.map((task) => `${task.phase} ${task.object.kind}/${task.object.metadata.name}`)).toEqual([
      'PostSync Job/dynenv-smoke-test',
    ]);
    expect(plan.steps.slice(0, -1).every((step) => step.awaitsResources)).toBe(true);

    const failing = new Map([['Job/dynenv-smoke-test', 'Job has reached the specified backoff limit']]);
    const failed = playSync(objects, namespace, failing);
    expect(failed.phase).toBe('Failed');
    // Every resource was applied before it ran: the Application is Synced and Healthy, and still the sync failed.
    expect(failed.resourcesApplied).toBe(true);
    const passed = playSync(objects, namespace);
    expect(passed.phase).toBe('Succeeded');

    const world = await startWorld();
    const pull = world.github.openPullRequest(REPOSITORY);
    world.previewed.add(pull.number);
    const name = world.argo.name(pull.number);
    await seen(world, name, world.argo.create(pull.number, pull.headSha));
    await seen(world, name, world.argo.finish(pull.number, failed));
    await tick(world, 5_000);
    const environment = `${APP}-pr-${pull.number}`;
    const [first] = world.github.deployments.of(REPOSITORY, environment);
    expect(world.github.deployments.lastState(first!)).toBe('failure');
    expect(first!.statuses.at(-1)!.description).toBe('Job/dynenv-smoke-test: Job has reached the specified backoff limit');
    expectTruth(world);

    // The next commit's smoke test passes: only then is the preview reported as working, with its URL.
    const next = world.github.pushCommit(REPOSITORY, pull.number);
    await seen(world, name, world.argo.push(pull.number, next.headSha));
    await seen(world, name, world.argo.finish(pull.number, passed));
    await tick(world, 5_000);
    const current = world.github.deployments.of(REPOSITORY, environment).find((deployment) => deployment.sha === next.headSha)!;
    expect(world.github.deployments.lastState(current)).toBe('success');
    expectTruth(world);
    expect(world.github.schemaViolations).toEqual([]);
  }, 120_000);
});
