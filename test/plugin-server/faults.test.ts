import { afterEach, describe, expect, it } from 'vitest';
import { PULLS_PER_PAGE } from '../../plugin-server/github/conditional-listing.ts';
import { eventually } from '../support/eventually.ts';
import { outcomeNow } from '../support/outcome-now.ts';
import { FAULTS } from './fault-cases.ts';
import { numbers, startHarness, type Harness } from './harness.ts';

const BOUND_MS = 60_000;
let h: Harness;
afterEach(async () => {
  expect(h.fake.schemaViolations).toEqual([]);
  await h.close();
});

/** Three pages of open pull requests, before and after one of them closes. */
const OPEN = 2 * PULLS_PER_PAGE + 10;

async function harnessWithThreePages(options: { retryAfterBaseValueMs?: number; timeoutMs?: number } = {}): Promise<Harness> {
  // A slow GitHub: the clock runs to the 1 s deadline while the fake holds the answer (3 s).
  const harness = await startHarness({ lastKnownGoodMaxAgeMs: BOUND_MS, timeoutMs: 1_000, timePassesWhileGitHubHolds: true, ...options });
  for (let i = 0; i < OPEN; i++) harness.fake.openPullRequest('acme/shop');
  return harness;
}

describe('GitHub failing after a good listing: the last good listing answers while fresh, then 503', () => {
  it.each(FAULTS)('$name', async ({ fault, match }) => {
    h = await harnessWithThreePages();
    expect(numbers(await h.getParams())).toHaveLength(OPEN);
    // Meanwhile pull requests close, and GitHub starts failing: the previews must not shrink on a failure.
    h.fake.closePullRequest('acme/shop', 10);
    h.fake.faults.inject(fault, { match: { path: '/repos/acme/shop/pulls', ...match } });

    // Polls when the last good listing is 1 s, 30 s, then 58 s old (a slow GitHub adds its 1 s deadline).
    const lastGoodAt = h.clock.now();
    for (const age of [1_000, 30_000, 58_000]) {
      h.clock.advance(lastGoodAt + age - h.clock.now());
      const stale = await h.getParams();
      expect(stale.statusCode).toBe(200);
      expect(numbers(stale)).toHaveLength(OPEN);
    }
    expect(h.logs.some((l) => l.msg === 'GitHub failed: answering from the last good listing')).toBe(true);
    const metrics = (await h.app.inject('/metrics')).body;
    expect(metrics).toMatch(/dynenv_plugin_stale_answers_total\{repository="acme\/shop"\} [1-9]/);

    h.clock.advance(BOUND_MS);
    const expired = await h.getParams();
    expect(expired.statusCode).toBe(503);
    expect(expired.json()).toMatchObject({
      code: 'LAST_KNOWN_GOOD_EXPIRED',
      message: expect.stringMatching(/the last good listing of acme\/shop is \d+ s old, older than the 60 s bound/),
    });

    // GitHub heals: the next poll is fresh and shows the closed pull request gone.
    h.fake.faults.clear();
    h.clock.advance(1_000);
    expect(numbers(await h.getParams())).toHaveLength(OPEN - 1);
  });
});

describe('GitHub failing with no good listing yet: a non-2xx naming the cause, never an empty list', () => {
  it.each(FAULTS)('$name', async ({ fault, match, cold }) => {
    h = await harnessWithThreePages();
    h.fake.faults.inject(fault, { match: { path: '/repos/acme/shop/pulls', ...match } });
    const response = await h.getParams();
    expect(response.statusCode).toBe(cold.status);
    const body = response.json() as { code: string; message: string };
    expect(body.code).toBe(cold.code);
    expect(body.message).toMatch(cold.message);
  });

  it('a repository in the allowlist that GitHub does not have: 404', async () => {
    h = await startHarness({ repositories: ['acme/shop', 'acme/gone'], missingOnGitHub: ['acme/gone'] });
    const response = await h.getParams({ repo: 'acme/gone' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'REPOSITORY_NOT_FOUND' });
  });
});

describe('transient failures are retried', () => {
  it('one 502 is retried (plugin-retry) and the answer is fresh', async () => {
    h = await harnessWithThreePages();
    h.fake.faults.inject({ kind: 'server-error', status: 502 }, { times: 1 });
    expect(numbers(await h.getParams())).toHaveLength(OPEN);
    expect(h.fake.requests[0]?.status).toBe(502);
    expect(h.fake.requests[1]?.status).toBe(200);
  });

  it('a 429 with a short retry-after is waited out once (plugin-throttling); a long one is not waited for', async () => {
    // Seconds of back-off are real seconds on the clock here; the deadline (5 s) leaves room for a 2 s wait.
    h = await harnessWithThreePages({ retryAfterBaseValueMs: 1_000, timeoutMs: 5_000 });
    h.fake.faults.inject({ kind: 'secondary-rate-limit', retryAfterSeconds: 2 }, { times: 1 });
    const answer = h.getParams();
    // After the 429 the listing waits GitHub's 2 s on the clock (its deadline is 5 s away), then asks again.
    await eventually(() => expect(h.clock.pendingTimers).toEqual([2_000, 5_000]));
    expect(h.fake.requests.map((r) => r.status)).toEqual([429]);
    expect(h.logs.some((l) => l.msg === 'GitHub secondary rate limit hit' && l.willRetry === true)).toBe(true);
    expect(await outcomeNow(answer)).toEqual({ state: 'pending' });
    h.clock.advance(2_000);
    expect(numbers(await answer)).toHaveLength(OPEN);
    expect(h.fake.requests.slice(0, 2).map((r) => r.status)).toEqual([429, 200]);

    h.fake.faults.inject({ kind: 'secondary-rate-limit', retryAfterSeconds: 600 }, { times: 1 });
    h.fake.clearRequests();
    h.clock.advance(1_000);
    expect(numbers(await h.getParams())).toHaveLength(OPEN);
    // Not waited for: page 1 was asked once, and the last good listing answered.
    expect(h.fake.requests.filter((r) => r.query.page === '1').map((r) => r.status)).toEqual([429]);
  });
});
