/**
 * The preview loop in a simulated world (test/support/preview-loop-world.ts): generated scripts of pull requests
 * opening, pushing and closing on GitHub, delivered to the plugin as webhooks, whose previews exist only as the
 * refresh annotation and the ApplicationSet controller's polls make them; Argo CD moving them through sync and
 * health states; GitHub failing, the Kubernetes API failing (5xx, `410 Gone`, dropped watches), Argo CD leaving a
 * namespace behind, and the controller restarting (its memory lost, GitHub read back), on a manual clock.
 * Whatever the script: exactly one comment per pull request that had a preview; the last status of every
 * Deployment is the truth 5 s (simulated) after the last transition; a steady hour writes nothing to GitHub;
 * past the TTL only the pull request with the keep label keeps its preview; after `dynenv sweep`, no orphans.
 */
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runSweep } from '../../../plugin-server/controller/sweep-main.ts';
import { REFRESH_ANNOTATION } from '../../../plugin-server/controller/application-set-refresher.ts';
import { commentMarker } from '../../../plugin-server/controller/status/preview-comment.ts';
import type { FakeGitHub } from '../../fake-github/index.ts';
import { kustomizeBuild } from '../../../src/gitops/kustomize-build.ts';
import { planSync } from '../../../src/validate/sync-simulation/sync-plan.ts';
import { orderedSyncTasks } from '../../../src/validate/sync-simulation/sync-tasks.ts';
import { EXPECTED_STATE, playSync, type PreviewPhase } from '../../support/argocd-simulation.ts';
import { configWith, writeTree } from '../../support/example.ts';
import { tempDir } from '../../support/workspace.ts';
import { kubeconfigFor, SWEEP_TOKEN } from '../../support/controller-world.ts';
import { APP, quiesce, REPOSITORY, restartController, startLoopWorld, stopWorlds, tick, type LoopWorld } from '../../support/preview-loop-world.ts';
import { fuzzRuns } from '../answer-judge.ts';

const HOUR = 3_600_000;
const KEEP_LABEL = 'keep-preview';

afterEach(stopWorlds);

/** The truth, as GitHub must show it. */
function expectTruth(world: LoopWorld): void {
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
const application = (world: LoopWorld, number: number) => world.kubernetes.store.get('applications', 'argocd', `${APP}-pr-${number}`);
const openPulls = (world: LoopWorld) => world.pulls.openPullRequests().map((pull) => pull.number);

/** `dynenv sweep` as its CronJob runs it (its ServiceAccount, the default grace period), at the world's time. */
async function sweep(world: LoopWorld) {
  const env = {
    KUBECONFIG: kubeconfigFor(world.kubernetes, SWEEP_TOKEN),
    DYNENV_REPOS: REPOSITORY,
    GITHUB_TOKEN: world.github.token,
    GITHUB_API_URL: world.github.url,
  };
  return runSweep(env, { dryRun: false, now: () => world.timers.now(), write: () => undefined });
}

/** Preview namespaces (not already going) that no Application deploys to and whose pull request is not open. */
function orphans(world: LoopWorld): string[] {
  const { store } = world.kubernetes;
  const owned = new Set(store.list('applications').map((a) => (a.spec as { destination: { namespace: string } }).destination.namespace));
  const open = new Set(openPulls(world));
  return store
    .list('namespaces')
    .filter((n) => n.metadata.labels?.['dynenv.io/environment'] === 'preview' && !n.metadata.deletionTimestamp)
    .filter((n) => !owned.has(n.metadata.name) && !open.has(Number(n.metadata.labels?.['dynenv.io/pull-request'])))
    .map((n) => n.metadata.name);
}

type Step =
  | { kind: 'open' }
  | { kind: 'move'; pick: number; phase: PreviewPhase }
  | { kind: 'push' | 'close' | 'close-leaving-namespace'; pick: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'kubernetes-fault'; status: number; times: number }
  | { kind: 'github-fault' | 'github-heal' | 'drop-watches' | 'expire-watches' | 'restart' };

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
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('push' as const, 'close' as const, 'close-leaving-namespace' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('kubernetes-fault' as const), status: fc.constantFrom(500, 503, 504), times: fc.integer({ min: 1, max: 4 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      { kind: 'github-fault' as const },
      { kind: 'github-heal' as const },
      { kind: 'drop-watches' as const },
      { kind: 'expire-watches' as const },
      { kind: 'restart' as const },
    ),
  },
);

const totals = { scripts: 0, steps: 0, restarts: 0, faults: 0, writes: 0, steadyHourWrites: 0, refreshes: 0, polls: 0, swept: 0 };
afterAll(() => {
  console.info(`status-world.test.ts: ${JSON.stringify(totals)}`);
});

async function play(world: LoopWorld, next: Step): Promise<void> {
  // Pull requests with a preview Application, still open.
  const live = [...world.argo.previews.keys()].filter((number) => openPulls(world).includes(number));
  const pick = 'pick' in next ? live[next.pick % Math.max(live.length, 1)] : undefined;
  if (next.kind === 'open') await world.pulls.open();
  else if (next.kind === 'move' && pick !== undefined) world.argo.move(pick, next.phase);
  else if (next.kind === 'push' && pick !== undefined) await world.pulls.push(pick);
  else if (next.kind === 'close' && pick !== undefined) await world.pulls.close(pick);
  else if (next.kind === 'close-leaving-namespace' && pick !== undefined) {
    world.applicationController.leaveNamespace(pick);
    await world.pulls.close(pick);
  } else if (next.kind === 'wait') await tick(world, next.ms);
  else if (next.kind === 'kubernetes-fault') {
    world.kubernetes.inject({ kind: 'status', status: next.status, remaining: next.times });
    totals.faults += 1;
  } else if (next.kind === 'github-fault' && !world.pulls.failing) {
    world.pulls.startFault({ kind: 'server-error', status: 502 }, { path: /./ });
    totals.faults += 1;
  } else if (next.kind === 'github-heal') world.pulls.clearFaults();
  else if (next.kind === 'drop-watches') world.kubernetes.dropWatches();
  else if (next.kind === 'expire-watches') world.kubernetes.expireWatches();
  else if (next.kind === 'restart') {
    await restartController(world);
    totals.restarts += 1;
  }
  await quiesce(world);
}

async function runScript(steps: readonly Step[]): Promise<void> {
  const world = await startLoopWorld();
  for (const next of steps) {
    totals.steps += 1;
    await play(world, next);
  }
  // GitHub healed, the last transition was the last step: 5 simulated seconds later, GitHub shows the truth.
  world.pulls.clearFaults();
  world.kubernetes.clearFaults();
  await tick(world, 5_000);
  expectTruth(world);
  // The next poll of each ApplicationSet makes what a failed refresh left waiting: the same again.
  await tick(world, 61_000, 61_000);
  await tick(world, 5_000, 1_000);
  expectTruth(world);
  const before = writes(world.github);
  await tick(world, HOUR, 20 * 60_000);
  expect(writes(world.github) - before, 'writes in a steady hour').toBe(0);

  // Expiry: a new preview, kept, and another one; past the TTL (and a poll) only the kept one is left.
  const kept = await world.pulls.open();
  const expiring = openPulls(world).find((number) => number !== kept.number && application(world, number)) ?? (await world.pulls.open()).number;
  await quiesce(world);
  await world.pulls.label(kept.number, KEEP_LABEL);
  await quiesce(world);
  expect(application(world, kept.number) && application(world, expiring), 'both previews exist').toBeTruthy();
  await tick(world, 73 * HOUR, 73 * HOUR);
  expect(application(world, kept.number), 'the kept preview').toBeDefined();
  for (const number of openPulls(world).filter((n) => n !== kept.number)) expect(application(world, number), `pr-${number} expired`).toBeUndefined();
  await tick(world, 5_000, 1_000);
  expectTruth(world);

  // No orphans after a sweep: the namespaces Argo CD left behind go, and nothing else.
  const leftBehind = orphans(world);
  const result = await sweep(world);
  expect(result.removed.sort()).toEqual(leftBehind.sort());
  expect(orphans(world)).toEqual([]);
  expect(world.kubernetes.store.get('namespaces', undefined, `${APP}-pr-${kept.number}`), 'the kept preview keeps its namespace').toBeDefined();
  totals.swept += result.removed.length;
  // Counted at the end: a script may close every pull request it opened within a debounce (nothing reported), but
  // the expiry above always reports two previews.
  totals.writes += writes(world.github);

  for (const set of world.applicationSets) {
    expect(set.controller.tally.violations, set.name).toEqual([]);
    totals.refreshes += set.reconciles.refresh;
    totals.polls += set.reconciles.poll;
  }
  expect(world.github.schemaViolations).toEqual([]);
}

describe('the preview loop, in a simulated world', () => {
  it('a webhook makes the preview at once (the refresh annotation, then removed; not the next poll), through a 410 Gone and failing requests too', async () => {
    const world = await startLoopWorld();
    const pull = await world.pulls.open();
    await quiesce(world);
    // No simulated time passed: no poll was due, only the refresh annotation could have made it.
    expect(application(world, pull.number)?.spec).toMatchObject({ source: { targetRevision: pull.headSha } });
    expect(world.kubernetes.store.get('applications', 'argocd', `${APP}-pr-${pull.number}-fence`)).toBeDefined();
    for (const set of world.applicationSets) {
      expect(set.reconciles, set.name).toEqual({ refresh: 1, poll: 0 });
      expect(world.kubernetes.store.get('applicationsets', 'argocd', set.name)?.metadata.annotations?.[REFRESH_ANNOTATION], set.name).toBeUndefined();
    }
    // The API server compacts its history under the controller's watches (410 Gone) and fails two requests: the
    // controller lists again, a failed patch is tried again, and the next preview is made at once all the same.
    world.kubernetes.expireWatches();
    world.kubernetes.inject({ kind: 'status', status: 503, remaining: 2 });
    const after = await world.pulls.open();
    await quiesce(world);
    expect(world.controller.applications.stats.relistsAfterGone).toBeGreaterThan(0);
    expect(application(world, after.number)?.spec).toMatchObject({ source: { targetRevision: after.headSha } });
    expect(world.kubernetes.requests.filter((request) => request.status === 503)).toHaveLength(2);

    // Without the webhook (GitHub changed, nobody told the plugin), a preview waits for the next poll, a
    // minute (the generator's requeueAfterSeconds) after the last reconcile.
    const quiet = world.github.openPullRequest(REPOSITORY);
    await tick(world, 59_000, 1_000);
    expect(application(world, quiet.number)).toBeUndefined();
    expect(world.github.deployments.of(REPOSITORY, `${APP}-pr-${pull.number}`).map((d) => d.sha)).toEqual([pull.headSha]);
    await tick(world, 1_000);
    expect(application(world, quiet.number)).toBeDefined();
  });

  it('one comment per pull request, every last status true 5 s after the last transition, nothing written in a steady hour, the keep label honoured, no orphans after a sweep', async () => {
    await fc.assert(
      // Every script opens a pull request first, so that each one refreshes a set; every script's expiry writes to
      // GitHub: the controls below hold however few scripts a run draws.
      fc.asyncProperty(
        fc.array(step, { minLength: 8, maxLength: 30 }).map((steps): Step[] => [{ kind: 'open' }, ...steps]),
        async (steps) => {
          await runScript(steps);
          await stopWorlds();
          totals.scripts += 1;
        },
      ),
      { numRuns: fuzzRuns(6) },
    );
    expect(totals.writes).toBeGreaterThan(0);
    expect(totals.refreshes).toBeGreaterThan(0);
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

    const world = await startLoopWorld();
    const pull = await world.pulls.open();
    await quiesce(world);
    world.argo.finish(pull.number, failed);
    await quiesce(world);
    await tick(world, 5_000);
    const environment = `${APP}-pr-${pull.number}`;
    const [first] = world.github.deployments.of(REPOSITORY, environment);
    expect(world.github.deployments.lastState(first!)).toBe('failure');
    expect(first!.statuses.at(-1)!.description).toBe('Job/dynenv-smoke-test: Job has reached the specified backoff limit');
    expectTruth(world);

    // The next commit's smoke test passes: only then is the preview reported as working, with its URL.
    const next = await world.pulls.push(pull.number);
    await quiesce(world);
    world.argo.finish(pull.number, passed);
    await quiesce(world);
    await tick(world, 5_000);
    const current = world.github.deployments.of(REPOSITORY, environment).find((deployment) => deployment.sha === next.headSha)!;
    expect(world.github.deployments.lastState(current)).toBe('success');
    expectTruth(world);
    expect(world.github.schemaViolations).toEqual([]);
  }, 120_000);
});
