import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { numbers, parameterSets, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  expect(h.fake.schemaViolations).toEqual([]);
  await h.close();
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const listRequests = (h: Harness) => h.fake.requests.filter((r) => r.path === '/repos/acme/shop/pulls');

describe('listing open pull requests from GitHub', () => {
  it('follows every page: 250 pull requests in three pages of 100', async () => {
    for (let i = 0; i < 250; i++) h.fake.openPullRequest('acme/shop');
    expect(numbers(await h.getParams())).toEqual(range(1, 250));
    const firstPass = listRequests(h).slice(0, 3);
    expect(firstPass.map((r) => [r.query.page, r.query.per_page, r.query.state, r.status])).toEqual([
      ['1', '100', 'open', 200],
      ['2', '100', 'open', 200],
      ['3', '100', 'open', 200],
    ]);
    // Then one confirming pass, free: the set is used only once GitHub confirmed it whole.
    expect(
      listRequests(h)
        .slice(3)
        .map((r) => [r.query.page, r.status, r.conditional]),
    ).toEqual([
      ['1', 304, true],
      ['2', 304, true],
      ['3', 304, true],
    ]);
    expect(h.fake.counters).toMatchObject({ counted: 3, notModified: 3 });
  });

  it('single flight: 10 concurrent cold requests cause one listing', async () => {
    for (let i = 0; i < 250; i++) h.fake.openPullRequest('acme/shop');
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.getParams()));
    for (const answer of answers) expect(numbers(answer)).toEqual(range(1, 250));
    expect(h.fake.counters).toEqual({ total: 6, counted: 3, notModified: 3, reset: 0 });
  });

  it('answers a second, unchanged poll from 304s that cost no rate limit', async () => {
    for (let i = 0; i < 250; i++) h.fake.openPullRequest('acme/shop');
    await h.getParams();
    const remaining = h.fake.rateLimit.remaining;
    h.fake.clearRequests();
    expect(numbers(await h.poll())).toEqual(range(1, 250));
    expect(listRequests(h).map((r) => [r.query.page, r.status, r.headers['if-none-match'] !== undefined])).toEqual([
      ['1', 304, true],
      ['2', 304, true],
      ['3', 304, true],
    ]);
    expect(h.fake.counters.counted).toBe(0);
    expect(h.fake.rateLimit.remaining).toBe(remaining);
    expect(await h.app.inject('/metrics').then((r) => r.body)).toMatch(/dynenv_plugin_cache_hits_total\{repository="acme\/shop",kind="revalidated"\} 1/);
  });

  it('revalidates on every poll, so a change shows at the next poll, and coalesces polls within a second', async () => {
    h.fake.openPullRequest('acme/shop');
    expect(numbers(await h.getParams())).toEqual([1]);
    h.fake.openPullRequest('acme/shop');
    // Within the revalidation interval: the same answer, without asking GitHub.
    h.fake.clearRequests();
    expect(numbers(await h.getParams())).toEqual([1]);
    expect(h.fake.counters.total).toBe(0);
    // The next poll a second later sees the new pull request.
    expect(numbers(await h.poll())).toEqual([1, 2]);
  });

  it('keeps a steady stream of polls from queueing: the next check starts in the background shortly before the interval ends', async () => {
    h.fake.openPullRequest('acme/shop');
    await h.getParams();
    h.fake.clearRequests();
    // GitHub now takes 200 ms to answer: on the clock, so it holds the answer until the test moves the clock.
    h.fake.faults.inject({ kind: 'slow', delayMs: 200 });
    h.clock.advance(850);
    // Answered from the check 850 ms old, which also starts the next one: the answer came while GitHub holds
    // that check (it cannot answer before the clock moves), so the poll did not wait for it.
    expect(numbers(await h.getParams())).toEqual([1]);
    await eventually(() => expect(h.fake.heldRequests.map((r) => r.conditional)).toEqual([true]));
    // GitHub answers (304) 1.05 s after the first check; the next poll is answered from that check: no new request.
    h.clock.advance(200);
    await eventually(() => expect(h.fake.requests.map((r) => r.status)).toEqual([304]));
    expect(numbers(await h.getParams())).toEqual([1]);
    expect(h.fake.requests).toHaveLength(1);
    // A poll that finds the interval over waits for a check of its own, which sees a new pull request.
    h.fake.faults.clear();
    h.fake.openPullRequest('acme/shop');
    expect(numbers(await h.poll())).toEqual([1, 2]);
  });

  it('uses a page set only whole: a pull request closed between two pages of one listing shifts no other one out', async () => {
    for (let i = 0; i < 250; i++) h.fake.openPullRequest('acme/shop');
    await h.getParams();
    h.fake.clearRequests();
    // GitHub lists newest first: page 1 holds 250..151. Closing 200 right after page 1 was answered moves 150 from
    // page 2 to page 1; a listing that kept its page 1 would lose 150, and Argo CD would delete its preview.
    let closed = false;
    h.fake.onRequest((request) => {
      if (!closed && request.query.page === '2') {
        h.fake.closePullRequest('acme/shop', 200);
        closed = true;
      }
    });
    const answer = numbers(await h.poll());
    expect(answer).toEqual(range(1, 250).filter((n) => n !== 200));
    // The first pass saw page 1 unchanged and page 2 changed; the server went round again until GitHub confirmed.
    const statuses = listRequests(h).map((r) => `${r.query.page}:${r.status}`);
    expect(statuses.slice(0, 3)).toEqual(['1:304', '2:200', '3:200']);
    expect(statuses.slice(-3)).toEqual(['1:304', '2:304', '3:304']);
  });

  it('follows a change in the number of pages', async () => {
    for (let i = 0; i < 250; i++) h.fake.openPullRequest('acme/shop');
    await h.getParams();
    for (const n of range(1, 60)) h.fake.closePullRequest('acme/shop', n);
    expect(numbers(await h.poll())).toEqual(range(61, 250));
    for (let i = 0; i < 150; i++) h.fake.openPullRequest('acme/shop');
    expect(numbers(await h.poll())).toEqual(range(61, 400));
  });

  it('sees a pull request reopened past the end of a full last page (its Link header was cached with a 304)', async () => {
    for (let i = 0; i < 201; i++) h.fake.openPullRequest('acme/shop');
    h.fake.closePullRequest('acme/shop', 1);
    expect(numbers(await h.getParams())).toEqual(range(2, 201));
    // The oldest pull request reopens: pages 1 and 2 (full) do not change, only page 3 does.
    h.fake.reopenPullRequest('acme/shop', 1);
    expect(numbers(await h.poll())).toEqual(range(1, 201));
  });

  it('shows edits at the next poll: labels, drafts, titles, pushes', async () => {
    h.fake.openPullRequest('acme/shop', { labels: ['preview'] });
    h.fake.openPullRequest('acme/shop', { labels: ['preview'], draft: true });
    expect(numbers(await h.getParams({ labels: 'preview' }))).toEqual([1]);
    h.fake.updatePullRequest('acme/shop', 2, { draft: false });
    h.fake.removeLabel('acme/shop', 1, 'preview');
    expect(numbers(await h.poll({ labels: 'preview' }))).toEqual([2]);
    const pushed = h.fake.pushCommit('acme/shop', 2).headSha;
    const after = parameterSets(await h.poll());
    expect(after.find((set) => set.number === '2')?.head_sha).toBe(pushed);
  });
});
