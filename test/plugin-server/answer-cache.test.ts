import { afterEach, describe, expect, it } from 'vitest';
import { AnswerCache } from '../../plugin-server/answer-cache.ts';
import type { PullRequest } from '../../plugin-server/github/pull-request.ts';
import { numbers, startHarness, type Harness } from './harness.ts';

describe('AnswerCache', () => {
  const listing: readonly PullRequest[] = [];

  it('answers only for the very listing it rendered from', () => {
    const cache = new AnswerCache();
    cache.set('q', listing, Buffer.from('a'));
    expect(cache.get('q', listing)?.toString()).toBe('a');
    expect(cache.get('q', [])).toBeUndefined();
    expect(cache.get('other', listing)).toBeUndefined();
  });

  it('drops the least recently used answer past its capacity', () => {
    const cache = new AnswerCache(2);
    cache.set('a', listing, Buffer.from('a'));
    cache.set('b', listing, Buffer.from('b'));
    cache.get('a', listing);
    cache.set('c', listing, Buffer.from('c'));
    expect(cache.get('b', listing)).toBeUndefined();
    expect(cache.get('a', listing)?.toString()).toBe('a');
    expect(cache.get('c', listing)?.toString()).toBe('c');
  });
});

describe('reused answers, through getparams', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('never outlive the listing, the question, or (for maxAgeHours) the clock', async () => {
    h = await startHarness();
    h.fake.openPullRequest('acme/shop');
    h.fake.advanceClock(3 * 3_600_000);
    h.fake.openPullRequest('acme/shop');
    h.clock.advance(3 * 3_600_000);
    expect(numbers(await h.getParams({ maxAgeHours: 4 }))).toEqual([1, 2]);
    expect(numbers(await h.getParams({ maxAgeHours: 2 }))).toEqual([2]);
    // GitHub unchanged (the same listing), but an hour later pull request 1 is past four hours.
    h.clock.advance(3_600_000 + 1_000);
    expect(numbers(await h.getParams({ maxAgeHours: 4 }))).toEqual([2]);
    // A change on GitHub is a new listing: no answer rendered from the old one is reused.
    h.fake.addLabels('acme/shop', 2, 'stale');
    expect(numbers(await h.poll({ maxAgeHours: 4, excludeLabels: 'stale' }))).toEqual([]);
    expect(numbers(await h.getParams({ maxAgeHours: 4 }))).toEqual([2]);
  });
});
