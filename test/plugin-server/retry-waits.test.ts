/**
 * The GitHub client's waits run on its clock: the back-off of plugin-retry (1, 4, 9... units before retries 1, 2,
 * 3) and the `retry-after` of a rate limit that plugin-throttling waits out. Nothing here waits for real time.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../plugin-server/clock.ts';
import { createGitHubClient } from '../../plugin-server/github/client.ts';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.ts';
import { eventually } from '../support/eventually.ts';
import { outcomeNow } from '../support/outcome-now.ts';

const UNIT_MS = 1_000;
let fake: FakeGitHub;
let clock: ManualClock;
beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.createRepository('acme/shop');
  fake.openPullRequest('acme/shop');
});
afterAll(async () => {
  expect(fake.schemaViolations).toEqual([]);
  await fake.close();
});
beforeEach(() => {
  fake.faults.clear();
  fake.clearRequests();
  clock = new ManualClock();
});

function listPulls() {
  const octokit = createGitHubClient({ apiUrl: fake.url, credentials: { kind: 'token', token: fake.token }, clock, retryAfterBaseValueMs: UNIT_MS });
  return octokit.rest.pulls.list({ owner: 'acme', repo: 'shop', state: 'open' });
}

describe("the GitHub client's waits, on its clock", () => {
  it('backs off 1 unit before the first retry of a 502 and 4 before the second', async () => {
    fake.faults.inject({ kind: 'server-error', status: 502 }, { times: 2 });
    const listing = listPulls();
    await eventually(() => expect(clock.pendingTimers).toEqual([UNIT_MS]));
    expect(fake.requests.map((r) => r.status)).toEqual([502]);
    clock.advance(UNIT_MS);
    await eventually(() => expect(clock.pendingTimers).toEqual([4 * UNIT_MS]));
    expect(fake.requests.map((r) => r.status)).toEqual([502, 502]);
    expect(await outcomeNow(listing)).toEqual({ state: 'pending' });
    clock.advance(4 * UNIT_MS);
    expect((await listing).data.map((pull) => pull.number)).toEqual([1]);
    expect(fake.requests.map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('waits out a secondary rate limit for its retry-after seconds, then asks again', async () => {
    fake.faults.inject({ kind: 'secondary-rate-limit', retryAfterSeconds: 3 }, { times: 1 });
    const listing = listPulls();
    await eventually(() => expect(clock.pendingTimers).toEqual([3 * UNIT_MS]));
    expect(fake.requests.map((r) => r.status)).toEqual([429]);
    clock.advance(3 * UNIT_MS);
    expect((await listing).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });
});
