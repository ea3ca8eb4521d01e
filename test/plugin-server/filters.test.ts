import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FILTER, selectPullRequests } from '../../plugin-server/filters.ts';
import type { PullRequest } from '../../plugin-server/github/pull-request.ts';
import { numbers, startHarness, type Harness } from './harness.ts';

// One repository with a pull request for each case, listed once; each filter is checked through getparams.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const open = (options: Parameters<Harness['fake']['openPullRequest']>[1]) => h.fake.openPullRequest('acme/shop', options);
  open({ head: 'feature/cart', title: 'Cart', labels: ['preview'] }); // 1
  open({ head: 'feature/search', title: 'Search', labels: ['preview', 'stale'] }); // 2
  open({ head: 'fix/login', title: 'WIP: login', labels: ['Preview', 'backend'], draft: true }); // 3
  open({ head: 'feature/fork', title: 'From a fork', labels: ['preview'], fromForkOf: 'mallory' }); // 4
  open({ head: 'release/prep', base: 'release/1.x', title: 'Release prep', labels: [] }); // 5
  open({ head: 'dependabot/npm_and_yarn/lodash-4.17.21', title: 'Bump lodash', labels: ['dependencies'], author: 'dependabot[bot]' }); // 6
  // Pull requests 1-3 and 6 were updated 48 hours ago; 4 and 5 just now.
  h.fake.advanceClock(48 * 3_600_000);
  h.fake.pushCommit('acme/shop', 4);
  h.fake.pushCommit('acme/shop', 5);
  h.clock.advance(48 * 3_600_000);
});
afterAll(async () => {
  await h.close();
});

describe('filters of input.parameters, through getparams', () => {
  it.each([
    ['no filter: drafts and forks are left out by default', {}, [1, 2, 5, 6]],
    ['labels: all must be present', { labels: ['preview'] }, [1, 2]],
    ['labels compare case-insensitively, as GitHub names them', { labels: ['PREVIEW'], includeDrafts: true }, [1, 2, 3]],
    ['labels as a comma-separated string', { labels: 'preview, stale' }, [2]],
    ['excludeLabels: none may be present', { excludeLabels: ['stale', 'dependencies'] }, [1, 5]],
    ['includeDrafts', { includeDrafts: true }, [1, 2, 3, 5, 6]],
    ['includeDrafts as the string "true"', { includeDrafts: 'true' }, [1, 2, 3, 5, 6]],
    ["includeForks (a fork's code would run in your cluster)", { includeForks: true }, [1, 2, 4, 5, 6]],
    ['targetBranches', { targetBranches: ['release/1.x'] }, [5]],
    ['targetBranches as a comma-separated string', { targetBranches: 'main,release/1.x' }, [1, 2, 5, 6]],
    ['branchMatch (unanchored)', { branchMatch: '^feature/' }, [1, 2]],
    ['titleMatch (RE2 syntax: flags such as (?i) work)', { titleMatch: '(?i)^wip:', includeDrafts: true }, [3]],
    ['maxAgeHours (since the last update)', { maxAgeHours: 24, includeForks: true }, [4, 5]],
    ['maxAgeHours as a string', { maxAgeHours: '49' }, [1, 2, 5, 6]],
    ['keepLabel exempts its pull requests from maxAgeHours (case-insensitively)', { maxAgeHours: 24, keepLabel: 'Stale' }, [2, 5]],
    ['keepLabel without maxAgeHours changes nothing', { keepLabel: 'stale' }, [1, 2, 5, 6]],
    ['limit: the most recently updated first', { limit: 1 }, [5]],
    ['limit as a string', { limit: '3' }, [2, 5, 6]],
    ['filters combine', { labels: 'preview', excludeLabels: 'stale', includeForks: true, maxAgeHours: 100 }, [1, 4]],
  ])('%s', async (_case, parameters, expected) => {
    expect(numbers(await h.poll(parameters))).toEqual(expected);
  });

  it('shares one listing between differently filtered ApplicationSets', async () => {
    h.fake.clearRequests();
    await Promise.all([h.getParams({ labels: ['preview'] }), h.getParams({ includeDrafts: true }), h.getParams({ limit: 1 })]);
    expect(h.fake.counters.total).toBe(0);
  });
});

describe('selectPullRequests', () => {
  const pull = (number: number, updatedAtMs: number): PullRequest => ({
    number,
    title: `PR ${number}`,
    url: `u/${number}`,
    draft: false,
    branch: `b${number}`,
    branchSlug: `b${number}`,
    targetBranch: 'main',
    targetBranchSlug: 'main',
    headSha: 'a'.repeat(40),
    author: 'dev',
    labels: [],
    updatedAt: new Date(updatedAtMs).toISOString(),
    updatedAtMs,
    fromFork: false,
  });

  it('breaks ties in update time by the higher number, so limit keeps a stable set', () => {
    const pulls = [pull(1, 1000), pull(2, 1000), pull(3, 500)];
    expect(selectPullRequests(pulls, { ...NO_FILTER, limit: 2 }, 2000).map((p) => p.number)).toEqual([2, 1]);
    expect(selectPullRequests([...pulls].reverse(), { ...NO_FILTER, limit: 2 }, 2000).map((p) => p.number)).toEqual([2, 1]);
  });

  it('keeps a pull request updated exactly maxAgeHours ago', () => {
    const now = 10 * 3_600_000;
    expect(selectPullRequests([pull(1, now - 3_600_000)], { ...NO_FILTER, maxAgeHours: 1 }, now)).toHaveLength(1);
    expect(selectPullRequests([pull(1, now - 3_600_001)], { ...NO_FILTER, maxAgeHours: 1 }, now)).toHaveLength(0);
  });
});
