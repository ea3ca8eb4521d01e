/**
 * Property-based fuzzing of getparams through inject(): generated bodies, headers and parameter values. Whatever
 * arrives, the server answers a well-formed parameter list (200) or a 4xx JSON message (answer-judge.ts): never a
 * 5xx for a client's mistake, never a crash, never a 2xx that is not a parameter list. Raw bytes over a real
 * socket are in raw-requests.test.ts.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWellFormedAnswer, fuzzRuns } from './answer-judge.ts';
import { PLUGIN_TOKEN, startHarness, type Harness } from './harness.ts';

let h: Harness;
let inputs = 0;
const openNumbers = new Set<number>();
beforeAll(async () => {
  h = await startHarness({ repositories: ['acme/shop', 'acme/api'] });
  const titles = ['Cart', '🚀 Launch', 'Ünïcode – title', 'x'.repeat(256), '', 'WIP: a\u0000b', '<script>alert(1)</script>'];
  for (let i = 0; i < 7; i++) {
    const pull = h.fake.openPullRequest('acme/shop', { title: titles[i], labels: i % 2 ? ['preview', 'Ünï'] : [], head: i === 3 ? '___' : undefined });
    openNumbers.add(pull.number);
  }
});
afterAll(async () => {
  // The figure the closing note asks for (and proof that the properties ran).
  console.info(`robustness.test.ts: ${inputs} generated getparams requests`);
  expect(inputs).toBeGreaterThanOrEqual(fuzzRuns(2600));
  expect(h.logs.filter((line) => (line.level as number) >= 50)).toEqual([]);
  await h.close();
});

async function send(options: { payload: string | Buffer; headers?: Record<string, string> }): Promise<LightMyRequestResponse> {
  inputs += 1;
  // Each request asks GitHub again: the listing is never the same cached answer twice in a row.
  h.clock.advance(1_000);
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/getparams.execute',
    headers: { authorization: `Bearer ${PLUGIN_TOKEN}`, 'content-type': 'application/json', ...options.headers },
    payload: options.payload,
  });
}

function judge(response: LightMyRequestResponse): Array<Record<string, unknown>> | undefined {
  const sets = expectWellFormedAnswer({
    status: response.statusCode,
    contentType: response.headers['content-type'] as string | undefined,
    body: response.body,
  });
  // A set is an open pull request of the repository, never an invented one.
  for (const set of sets ?? []) expect(openNumbers.has(Number(set.number))).toBe(true);
  return sets;
}

const KEYS = [
  'repo',
  'labels',
  'excludeLabels',
  'includeDrafts',
  'includeForks',
  'targetBranches',
  'branchMatch',
  'titleMatch',
  'maxAgeHours',
  'limit',
  'namespacePrefix',
];

/** Values of every JSON type, including huge strings, deep nesting and the spellings the parser accepts. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'acme/shop',
      'acme/api',
      'ACME/SHOP',
      'preview',
      'Ünï',
      'true',
      'false',
      '3',
      '-1',
      '1e309',
      'NaN',
      '(',
      '(a+)+$',
      '^(a|a)*$',
      '(?!x)',
      '.*',
      '',
      ',',
      ' , ,',
      'pr',
      'a-very-long-prefix-that-overflows-the-namespace-name',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 60_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e308, -1e308, 2 ** 53 + 1, 0.5, 1e-9, 4.000000000000001) },
);

describe('fuzzing getparams (inject)', () => {
  it('answers any input.parameters (any JSON under the known keys and others) with a parameter list or a 4xx message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), anyValue, { maxKeys: 6 }), async (parameters) => {
        judge(await send({ payload: JSON.stringify({ applicationSetName: 'previews', input: { parameters } }) }));
      }),
      { numRuns: fuzzRuns(1000) },
    );
  });

  it('answers any envelope: applicationSetName, input and input.parameters of every JSON type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ applicationSetName: anyValue, input: fc.oneof(anyValue, fc.record({ parameters: anyValue }, { requiredKeys: [] })) }, { requiredKeys: [] }),
        async (envelope) => {
          judge(await send({ payload: JSON.stringify(envelope) }));
        },
      ),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('answers any body: text, JSON of any shape, arbitrary bytes (invalid UTF-8 included), deep nesting, sizes around the limit', async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.json({ maxDepth: 4 }),
      fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
      fc.integer({ min: 1, max: 40_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
      fc.integer({ min: 1, max: 8_000 }).map((depth) => `{"input":{"parameters":{"labels":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}}`),
      fc.integer({ min: 60 * 1024, max: 70 * 1024 }).map((size) => `{"applicationSetName":"${'n'.repeat(size)}","input":{}}`),
      fc.constantFrom('', ' ', 'null', '[]', '"x"', '0', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '\uFEFF{}'),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const response = await send({ payload });
        judge(response);
        const size = Buffer.byteLength(payload);
        if (size > 64 * 1024) expect(response.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
      }),
      { numRuns: fuzzRuns(700) },
    );
    // Nothing above reached Object.prototype.
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('answers any headers: content types, authorization values and extra headers; only a good token and JSON get a 200', async () => {
    const contentType = fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'Application/JSON',
        'application/json;charset=latin1',
        'text/plain',
        'text/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'application/merge-patch+json',
        '*/*',
        '',
      ),
      fc.string({ maxLength: 40 }).filter((value) => /^[\x20-\x7e]*$/.test(value)),
    );
    const authorization = fc.oneof(
      fc.constant(`Bearer ${PLUGIN_TOKEN}`),
      fc.constant(`bearer ${PLUGIN_TOKEN}`),
      fc.constantFrom(
        '',
        'Bearer',
        `Bearer  ${PLUGIN_TOKEN}`,
        `Basic ${PLUGIN_TOKEN}`,
        `Bearer ${PLUGIN_TOKEN}\t`,
        `Bearer ${'x'.repeat(8_000)}`,
        'Bearer $plugin.token',
      ),
      fc.string({ maxLength: 100 }).filter((value) => /^[\x20-\x7e]*$/.test(value)),
    );
    const extraHeaders = fc.dictionary(
      fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
      fc.string({ maxLength: 200 }).filter((value) => /^[\x20-\x7e]*$/.test(value)),
      { maxKeys: 5 },
    );
    await fc.assert(
      fc.asyncProperty(contentType, authorization, extraHeaders, async (type, auth, extra) => {
        const response = await send({
          payload: '{"applicationSetName":"previews","input":{"parameters":{"repo":"acme/shop"}}}\n',
          headers: { ...extra, 'content-type': type, authorization: auth },
        });
        const sets = judge(response);
        const goodToken = /^bearer \S+$/i.test(auth) && auth.slice(7) === PLUGIN_TOKEN;
        const json = /^application\/json\s*(;|$)/i.test(type.trim());
        if (sets !== undefined) expect({ goodToken, json }).toEqual({ goodToken: true, json: true });
        if (goodToken && json) expect(sets?.length).toBe(openNumbers.size);
        if (!goodToken) expect(response.statusCode === 401 || response.statusCode === 403).toBe(true);
      }),
      { numRuns: fuzzRuns(400) },
    );
  });
});
