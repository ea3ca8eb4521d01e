import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_TOKEN, startHarness, type Harness } from './harness.ts';

// No input crashes the server: every answer is a 2xx with parameter sets, or a 4xx JSON {"message"}.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ repositories: ['acme/shop', 'acme/api'] });
  for (let i = 0; i < 5; i++) h.fake.openPullRequest('acme/shop', { labels: i % 2 ? ['preview'] : [] });
});
afterAll(async () => {
  await h.close();
});

function expectOrderlyAnswer(statusCode: number, contentType: string | undefined, body: string): void {
  expect(statusCode).toBeLessThan(500);
  expect(contentType).toMatch(/^application\/json/);
  const parsed = JSON.parse(body) as { message?: unknown; output?: { parameters?: unknown } };
  if (statusCode === 200) expect(Array.isArray(parsed.output?.parameters)).toBe(true);
  else expect(typeof parsed.message).toBe('string');
}

const keys = ['repo', 'labels', 'excludeLabels', 'includeDrafts', 'includeForks', 'targetBranches', 'branchMatch', 'titleMatch', 'maxAgeHours', 'limit', 'namespacePrefix'];

describe('robustness of getparams', () => {
  it('answers any input.parameters (any JSON under the known keys and others) with 200 or a 4xx message', async () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('acme/shop', 'acme/api', 'ACME/SHOP', 'preview', 'true', 'false', '3', '-1', '(', '(a+)+$', '.*', '', 'x'.repeat(300)),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string()), value, { maxKeys: 6 }), async (parameters) => {
        const response = await h.getParams(parameters);
        expectOrderlyAnswer(response.statusCode, response.headers['content-type'] as string | undefined, response.body);
      }),
      { numRuns: 300 },
    );
  });

  it('answers any body, and any Authorization header, without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })),
        fc.oneof(fc.constant(`Bearer ${PLUGIN_TOKEN}`), fc.string({ maxLength: 80 })),
        async (payload, authorization) => {
        const response = await h.app.inject({
          method: 'POST',
          url: '/api/v1/getparams.execute',
          headers: { 'content-type': 'application/json', authorization },
          payload,
        });
        expectOrderlyAnswer(response.statusCode, response.headers['content-type'] as string | undefined, response.body);
        },
      ),
      { numRuns: 300 },
    );
  });
});
