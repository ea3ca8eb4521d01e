/**
 * The listing deadline (DYNENV_GITHUB_TIMEOUT_SECONDS) bounds the answer, retries included. Octokit's retry back-off
 * does not watch the request's signal, so here it is made far longer than the deadline: a listing that waited for
 * it would not answer when the deadline passes. The deadline and the back-off both run on a ManualClock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../plugin-server/clock.ts';
import { PluginError } from '../../plugin-server/errors.ts';
import { createGitHubClient } from '../../plugin-server/github/client.ts';
import { GitHubPullRequestSource } from '../../plugin-server/github/pull-request-source.ts';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.ts';
import { eventually } from '../support/eventually.ts';
import { outcomeNow } from '../support/outcome-now.ts';

const DEADLINE_MS = 200;
const BACK_OFF_MS = 60_000;
let fake: FakeGitHub;
afterEach(async () => {
  expect(fake.schemaViolations).toEqual([]);
  await fake.close();
});

describe('the listing deadline', () => {
  it('regression: a failing GitHub is answered at the deadline, not after the retry back-off (a minute here)', async () => {
    fake = await startFakeGitHub();
    fake.createRepository('acme/shop');
    fake.openPullRequest('acme/shop');
    const clock = new ManualClock();
    const source = new GitHubPullRequestSource({
      clock,
      timeoutMs: DEADLINE_MS,
      octokit: createGitHubClient({ apiUrl: fake.url, credentials: { kind: 'token', token: fake.token }, clock, retryAfterBaseValueMs: BACK_OFF_MS }),
    });
    fake.faults.inject({ kind: 'server-error', status: 502 });
    const failing = source.listOpenPullRequests('acme/shop');

    // GitHub answered 502; the retry now waits its back-off, and the deadline is still ahead.
    await eventually(() => expect(clock.pendingTimers).toEqual([DEADLINE_MS, BACK_OFF_MS]));
    expect(fake.requests.map((r) => r.status)).toEqual([502]);
    clock.advance(DEADLINE_MS - 1);
    expect(await outcomeNow(failing)).toEqual({ state: 'pending' });
    clock.advance(1);
    const failed = await outcomeNow(failing);
    expect(failed).toMatchObject({ state: 'rejected', reason: expect.any(PluginError) });
    expect((failed as { reason: PluginError }).reason.message).toBe("GitHub did not finish listing acme/shop's pull requests in time");

    // The abandoned run still sleeps in its back-off; the next poll does not wait for it, and tells the truth.
    fake.faults.clear();
    fake.openPullRequest('acme/shop');
    clock.advance(1_000);
    const listing = await source.listOpenPullRequests('acme/shop');
    expect(listing).toMatchObject({ source: 'fresh' });
    expect(listing.pullRequests.map((pull) => pull.number)).toEqual([2, 1]);
    // Its deadline never came; the old back-off is still running.
    expect(clock.pendingTimers).toEqual([DEADLINE_MS, BACK_OFF_MS - DEADLINE_MS - 1_000]);
  });
});
