/**
 * The listing deadline (DYNENV_GITHUB_TIMEOUT_SECONDS) bounds the answer, retries included. Octokit's retry plugin
 * waits between attempts without watching the request's signal, so here its back-off is made far longer than the
 * deadline: a listing that waited for it would not answer within this test's guard at all.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../plugin-server/clock.ts';
import { PluginError } from '../../plugin-server/errors.ts';
import { createGitHubClient } from '../../plugin-server/github/client.ts';
import { GitHubPullRequestSource, type PullRequestListing } from '../../plugin-server/github/pull-request-source.ts';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.ts';

const DEADLINE_MS = 200;
let fake: FakeGitHub;
afterEach(async () => {
  expect(fake.schemaViolations).toEqual([]);
  await fake.close();
});

/** The listing, or 'no answer' when it takes more than 50 times the deadline. */
async function listGuarded(source: GitHubPullRequestSource): Promise<PullRequestListing | PluginError | 'no answer'> {
  const listing = source.listOpenPullRequests('acme/shop').catch((error: unknown) => error as PluginError);
  return Promise.race([listing, sleep(50 * DEADLINE_MS).then(() => 'no answer' as const)]);
}

describe('the listing deadline', () => {
  it('regression: a failing GitHub is answered at the deadline, not after the retry back-off (a minute here)', async () => {
    fake = await startFakeGitHub();
    fake.createRepository('acme/shop');
    fake.openPullRequest('acme/shop');
    const clock = new ManualClock();
    const source = new GitHubPullRequestSource({
      clock,
      timeoutMs: DEADLINE_MS,
      octokit: createGitHubClient({ apiUrl: fake.url, credentials: { kind: 'token', token: fake.token }, retryAfterBaseValueMs: 60_000 }),
    });
    fake.faults.inject({ kind: 'server-error', status: 502 });
    const failed = await listGuarded(source);
    expect(failed).toBeInstanceOf(PluginError);
    expect((failed as PluginError).message).toBe("GitHub did not finish listing acme/shop's pull requests in time");

    // The abandoned run still sleeps in its back-off; the next poll does not wait for it, and tells the truth.
    fake.faults.clear();
    fake.openPullRequest('acme/shop');
    clock.advance(1_000);
    const listing = await listGuarded(source);
    expect(listing).toMatchObject({ source: 'fresh' });
    expect((listing as PullRequestListing).pullRequests.map((pull) => pull.number)).toEqual([2, 1]);
  });
});
