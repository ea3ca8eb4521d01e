/**
 * Issue 10, finding 6: one pull request that cannot be a preview does not fail the answer. A number no namespace
 * can hold (GitHub's are 32-bit; this one comes from a broken or hostile upstream) used to make every answer a
 * 500, so Argo CD kept every preview unmanaged; now that one pull request is left out, said in a log line and
 * counted in a metric, and the others get their previews.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NAMESPACE_PREFIX_MAX_LENGTH } from '../../contract/names.ts';
import { parameterSets, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  expect(h.fake.schemaViolations).toEqual([]);
  await h.close();
});

const skipped = () => h.logs.filter((line) => String(line.msg).startsWith('pull request left out'));

describe('a pull request whose number cannot name a preview', () => {
  it('regression: is left out, with a log line and a metric, and the others are answered (not a 500)', async () => {
    h.fake.openPullRequest('acme/shop');
    h.fake.openPullRequest('acme/shop', { number: 2 ** 31 });
    h.fake.openPullRequest('acme/shop', { number: 2 ** 60 });
    const response = await h.getParams({ repo: 'acme/shop' });
    expect(response.statusCode, response.body).toBe(200);
    expect(parameterSets(response).map((set) => [set.number, set.namespace])).toEqual([
      ['2147483648', 'pr-2147483648'],
      ['1', 'pr-1'],
    ]);
    expect(skipped()).toEqual([
      expect.objectContaining({
        level: 40,
        repository: 'acme/shop',
        number: 2 ** 60,
        msg: `pull request left out: pull request number ${2 ** 60} is not a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`,
      }),
    ]);
    expect(await h.metrics.registry.getSingleMetricAsString('dynenv_plugin_skipped_pull_requests_total')).toContain(
      'dynenv_plugin_skipped_pull_requests_total{repository="acme/shop"} 1',
    );
  });

  it('is left out when its namespace with the prefix would pass 63 characters; a 32-bit one always fits', async () => {
    h.fake.openPullRequest('acme/shop', { number: 2 ** 31 - 1 });
    h.fake.openPullRequest('acme/shop', { number: 99_999_999_999 });
    const prefix = 'p'.repeat(NAMESPACE_PREFIX_MAX_LENGTH);
    const response = await h.getParams({ repo: 'acme/shop', namespacePrefix: prefix });
    expect(response.statusCode).toBe(200);
    expect(parameterSets(response).map((set) => set.namespace)).toEqual([`${prefix}-pr-2147483647`]);
    expect(skipped().map((line) => line.msg)).toEqual([
      `pull request left out: namespace ${prefix}-pr-99999999999 of pull request 99999999999 would be longer than 63 characters`,
    ]);
  });
});
