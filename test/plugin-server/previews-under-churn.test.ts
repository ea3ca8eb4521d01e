/**
 * Generated scripts of pull-request events (open, close, merge, reopen, label, unlabel, draft, push, each with its
 * webhook), GitHub faults starting and stopping, time passing, and polls by two simulated ApplicationSets. Argo CD
 * applies every answer as docs/plugin-protocol.md says; whatever the script, no Application is deleted while its pull request
 * is open and selected (wrong prune), none outlives a truthful poll after its pull request closed (leak), and
 * once GitHub heals the Applications are exactly the truth.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedApplicationSetController, selectsOpenPullRequests, type ControllerTally } from '../support/applicationset-controller.ts';
import { PreviewWorld } from '../support/preview-world.ts';
import { fuzzRuns } from './answer-judge.ts';
import { FAULTS } from './fault-cases.ts';
import { REVALIDATE_INTERVAL_MS, startHarness, type Harness } from './harness.ts';
import { deliverPullRequestEvent } from './webhook-delivery.ts';

const BOUND_MS = 60_000;

type Step =
  | { readonly kind: 'open'; readonly labels: string[]; readonly draft: boolean }
  | { readonly kind: 'close' | 'merge' | 'reopen' | 'label' | 'unlabel' | 'draft' | 'ready' | 'push'; readonly pick: number }
  | { readonly kind: 'fault'; readonly fault: number }
  | { readonly kind: 'heal' }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'poll' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('open' as const), labels: fc.subarray(['preview', 'stale']), draft: fc.boolean() }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom('close', 'merge', 'reopen', 'label', 'unlabel', 'draft', 'ready', 'push') as fc.Arbitrary<'close'>,
      pick: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fault' as const), fault: fc.nat(FAULTS.length - 1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 2 * BOUND_MS }) }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'poll' as const }) },
);

const totals = { scripts: 0, steps: 0, events: 0, faults: 0, polls: 0, errors: 0, created: 0, deleted: 0, wrongPrunes: 0, leakedPreviews: 0 };
afterAll(() => {
  console.info(`previews-under-churn.test.ts: ${JSON.stringify(totals)}`);
  expect(totals.scripts).toBeGreaterThanOrEqual(fuzzRuns(25));
});

async function runScript(steps: readonly Step[]): Promise<ControllerTally[]> {
  // A slow GitHub: the clock runs to the 1 s deadline while the fake holds its answer.
  const h: Harness = await startHarness({ lastKnownGoodMaxAgeMs: BOUND_MS, timeoutMs: 1_000, timePassesWhileGitHubHolds: true });
  try {
    const world = new PreviewWorld(h.fake, 'acme/shop', {
      now: () => h.clock.now(),
      settleMs: REVALIDATE_INTERVAL_MS,
      notify: (event) => deliverPullRequestEvent(h, event),
    });
    // Two pages, so a page can fail in the middle of a listing.
    for (let i = 0; i < 130; i++) h.fake.openPullRequest('acme/shop', { labels: i % 4 === 0 ? ['preview'] : [] });
    const ask = (parameters?: Record<string, unknown>) => async () => {
      const response = await h.getParams(parameters);
      return { status: response.statusCode, body: response.body };
    };
    const controllers = [
      new SimulatedApplicationSetController(world, { name: 'all', ask: ask(), selects: selectsOpenPullRequests() }),
      new SimulatedApplicationSetController(world, { name: 'labelled', ask: ask({ labels: ['preview'] }), selects: selectsOpenPullRequests(['preview']) }),
    ];
    const poll = async () => {
      h.clock.advance(REVALIDATE_INTERVAL_MS);
      for (const controller of controllers) await controller.poll();
    };
    const pick = (index: number, state: 'open' | 'closed') => {
      const candidates = world.allPullRequests().filter((pull) => pull.state === state);
      return candidates[index % Math.max(candidates.length, 1)]?.number;
    };

    for (const next of steps) {
      totals.steps += 1;
      if (next.kind === 'poll') await poll();
      else if (next.kind === 'wait') h.clock.advance(next.ms);
      else if (next.kind === 'heal') world.clearFaults();
      else if (next.kind === 'fault') {
        const { fault, match } = FAULTS[next.fault]!;
        world.startFault(fault, match);
        totals.faults += 1;
      } else if (next.kind === 'open') {
        await world.open({ labels: next.labels, draft: next.draft });
        totals.events += 1;
      } else {
        const number = pick(next.pick, next.kind === 'reopen' ? 'closed' : 'open');
        if (number === undefined) continue;
        totals.events += 1;
        if (next.kind === 'close') await world.close(number);
        else if (next.kind === 'merge') await world.merge(number);
        else if (next.kind === 'reopen') await world.reopen(number);
        else if (next.kind === 'label') await world.label(number, 'preview');
        else if (next.kind === 'unlabel') await world.unlabel(number, 'preview');
        else if (next.kind === 'draft') await world.setDraft(number, true);
        else if (next.kind === 'ready') await world.setDraft(number, false);
        else await world.push(number);
      }
    }
    // GitHub heals: one poll later, the Applications are the truth.
    world.clearFaults();
    await poll();
    for (const [i, controller] of controllers.entries()) {
      const selects = i === 0 ? selectsOpenPullRequests() : selectsOpenPullRequests(['preview']);
      const truth = world
        .openPullRequests()
        .filter(selects)
        .map((pull) => pull.number)
        .sort((a, b) => a - b);
      expect([...controller.applications.keys()].sort((a, b) => a - b)).toEqual(truth);
    }
    expect(h.fake.schemaViolations).toEqual([]);
    return controllers.map((controller) => controller.tally);
  } finally {
    await h.close();
  }
}

describe('previews under pull-request churn and GitHub faults, as a simulated ApplicationSet controller sees them', () => {
  it('no wrong prune, no wrong creation, no leaked or missed preview, for any script of events, faults and polls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
        const tallies = await runScript(steps);
        totals.scripts += 1;
        for (const tally of tallies) {
          totals.polls += tally.polls;
          totals.errors += Object.values(tally.errors).reduce((sum, n) => sum + n, 0);
          totals.created += tally.created;
          totals.deleted += tally.deleted;
          totals.wrongPrunes += tally.wrongPrunes;
          totals.leakedPreviews += tally.leakedPreviews;
          expect(tally.violations).toEqual([]);
        }
      }),
      { numRuns: fuzzRuns(25) },
    );
    // The scripts did exercise both sides: previews came and went, and GitHub failed under them.
    expect(totals.created).toBeGreaterThan(0);
    expect(totals.deleted).toBeGreaterThan(0);
    expect(totals.errors + totals.faults).toBeGreaterThan(0);
    // Twenty-five scripts, each listing two pages of pull requests over real HTTP after every change: well over a
    // minute on a loaded machine. Nothing in them waits for real time, so the bound is only against a hang.
  }, 300_000);
});
