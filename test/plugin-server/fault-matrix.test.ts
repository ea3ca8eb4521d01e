/**
 * Every fault GitHub can throw at the plugin × every state its cache can be in, judged by what Argo CD would do
 * with the answers: two simulated ApplicationSets (all pull requests; those labelled `preview`) over three pages
 * of pull requests, with pull requests closing, merging, opening, being labelled and turned to drafts (webhooks
 * delivered) while GitHub fails. The answer is the last good listing or a non-2xx, never fewer parameter sets
 * than the truth: no Application is ever deleted while its pull request is open and selected, none is created for
 * one that is not, and once GitHub heals, one poll makes the Applications exactly the truth again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PULLS_PER_PAGE } from '../../plugin-server/github/conditional-listing.ts';
import { SimulatedApplicationSetController, selectsOpenPullRequests } from '../support/applicationset-controller.ts';
import { PreviewWorld } from '../support/preview-world.ts';
import { FAULTS } from './fault-cases.ts';
import { REVALIDATE_INTERVAL_MS, startHarness, type Harness } from './harness.ts';
import { deliverPullRequestEvent } from './webhook-delivery.ts';

const BOUND_MS = 60_000;
/** Three pages of pull requests, before the changes the world makes (two closed, one opened) and after them. */
const PULL_REQUESTS = 2 * PULLS_PER_PAGE + 10;

/** The cache states: what the server holds when GitHub starts failing. */
const CACHE_STATES = [
  { state: 'cold', polledBefore: false, ageMs: 0 },
  { state: 'warm, the last good listing fresh', polledBefore: true, ageMs: 1_000 },
  // Argo CD polls every requeueAfterSeconds; with a longer interval than the bound the listing has aged out.
  { state: 'warm, the last good listing older than the bound', polledBefore: true, ageMs: BOUND_MS + 1_000 },
] as const;

const cells = FAULTS.flatMap((fault) => CACHE_STATES.map((cache) => ({ ...fault, ...cache })));

let h: Harness;
let survived = 0;
afterEach(async () => {
  expect(h.fake.schemaViolations).toEqual([]);
  await h.close();
});

async function answerOf(response: ReturnType<Harness['getParams']>) {
  const { statusCode, body } = await response;
  return { status: statusCode, body };
}

describe('fault matrix: every GitHub fault × every cache state, judged as Argo CD applies the answers', () => {
  it.each(cells)('$name, $state', async ({ fault, match, cold, polledBefore, ageMs }) => {
    // A slow GitHub: the clock runs to the 1 s deadline while the fake holds its answer.
    h = await startHarness({ lastKnownGoodMaxAgeMs: BOUND_MS, timeoutMs: 1_000, timePassesWhileGitHubHolds: true });
    const world = new PreviewWorld(h.fake, 'acme/shop', {
      now: () => h.clock.now(),
      notify: (event) => deliverPullRequestEvent(h, event),
      settleMs: REVALIDATE_INTERVAL_MS,
    });
    for (let i = 0; i < PULL_REQUESTS; i++) h.fake.openPullRequest('acme/shop', { labels: i % 3 === 0 ? ['preview'] : [] });
    const controllers = [
      new SimulatedApplicationSetController(world, { name: 'all', ask: () => answerOf(h.getParams()), selects: selectsOpenPullRequests() }),
      new SimulatedApplicationSetController(world, {
        name: 'labelled',
        ask: () => answerOf(h.getParams({ labels: 'preview' })),
        selects: selectsOpenPullRequests(['preview']),
      }),
    ];
    const pollAll = async () => {
      h.clock.advance(REVALIDATE_INTERVAL_MS);
      return Promise.all(controllers.map((controller) => controller.poll()));
    };

    if (polledBefore) expect(await pollAll()).toEqual([200, 200]);
    const before = controllers.map((controller) => [...controller.applications.keys()]);
    h.clock.advance(ageMs);

    // GitHub fails, and meanwhile pull requests change (each change announced by its webhook).
    world.startFault(fault, match);
    await world.close(1);
    await world.merge(4);
    await world.open({ labels: ['preview'] });
    await world.label(2, 'preview');
    await world.setDraft(7, true);
    const statuses = await pollAll();

    if (!polledBefore) {
      expect(statuses).toEqual([cold.status, cold.status]);
    } else if (ageMs > BOUND_MS) {
      expect(statuses).toEqual([503, 503]);
      expect(JSON.parse((await h.getParams()).body)).toMatchObject({ code: 'LAST_KNOWN_GOOD_EXPIRED' });
    } else {
      expect(statuses).toEqual([200, 200]);
    }
    // Either way the Applications are exactly what they were: the last good listing, or kept on an error.
    expect(controllers.map((controller) => [...controller.applications.keys()])).toEqual(before);

    world.clearFaults();
    expect(await pollAll()).toEqual([200, 200]);
    const truth = controllers.map((_, i) =>
      world
        .openPullRequests()
        .filter((pull) => (i === 0 ? selectsOpenPullRequests() : selectsOpenPullRequests(['preview']))(pull))
        .map((pull) => pull.number)
        .sort((a, b) => a - b),
    );
    expect(controllers.map((controller) => [...controller.applications.keys()].sort((a, b) => a - b))).toEqual(truth);
    for (const controller of controllers) {
      expect(controller.tally.violations).toEqual([]);
      expect(controller.tally).toMatchObject({ wrongPrunes: 0, wrongCreations: 0, leakedPreviews: 0, missedPreviews: 0 });
    }
    survived += 1;
    if (survived === cells.length)
      console.info(`fault-matrix.test.ts: ${survived} faults × cache states survived (${FAULTS.length} faults × ${CACHE_STATES.length} states)`);
  });
});
