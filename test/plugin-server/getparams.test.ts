import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLUGIN_PARAMETER_KEYS as PARAMETER_KEYS } from '../../contract/plugin-parameters.ts';
import { isDns1123Label } from '../../contract/names.ts';
import { callLikeArgoCd, interpretAsArgoCd } from './argo-client.ts';
import { PLUGIN_TOKEN, numbers, parameterSets, startHarness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  expect(h.fake.schemaViolations).toEqual([]);
  await h.close();
});

async function listen(harness: Harness): Promise<string> {
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
}

describe("docs/plugin-protocol.md's response table, as Argo CD reads the server's answers over loopback", () => {
  beforeEach(async () => {
    h = await startHarness({ lastKnownGoodMaxAgeMs: 60_000 });
  });

  it('any 2xx with a valid body: one set per open pull request, each becoming an Application', async () => {
    for (let i = 0; i < 3; i++) h.fake.openPullRequest('acme/shop');
    const call = await callLikeArgoCd(await listen(h), PLUGIN_TOKEN, 'previews', { repo: 'acme/shop' });
    expect(call.status).toBe(200);
    expect(call.headers.get('content-type')).toMatch(/^application\/json/);
    // Argo CD asks for gzip but does not decompress what it asked for: the answer must come plain.
    expect(call.headers.get('content-encoding')).toBeNull();
    expect(call.outcome.kind).toBe('sets');
    if (call.outcome.kind !== 'sets') return;
    expect(call.outcome.sets.map((s) => s.namespace)).toEqual(['pr-3', 'pr-2', 'pr-1']);
  });

  it('zero sets only when there really is no matching open pull request: exactly {"output":{"parameters":[]}}', async () => {
    const base = await listen(h);
    const call = await callLikeArgoCd(base, PLUGIN_TOKEN, 'previews');
    expect(call.status).toBe(200);
    expect(call.body).toBe('{"output":{"parameters":[]}}');
    expect(call.outcome).toEqual({ kind: 'sets', sets: [] });
  });

  it('never 204, an empty body, {}, {"output":{}} or "parameters":null when GitHub fails: a non-2xx, and Argo CD keeps the previews', async () => {
    h.fake.faults.inject({ kind: 'server-error', status: 502 });
    const call = await callLikeArgoCd(await listen(h), PLUGIN_TOKEN, 'previews');
    expect(call.status).toBe(503);
    expect(call.outcome.kind).toBe('error');
    if (call.outcome.kind !== 'error') return;
    expect(call.outcome.message).toMatch(/^API error with status code 503: GitHub failed \(502\)/);
  });

  it('never [null], never a non-object element, never a set missing a key or holding a null: whatever the pull requests look like', async () => {
    const base = await listen(h);
    const pullRequest = fc.record({
      head: fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom('___', '🚀', 'feat/Ünïcode', '-')),
      base: fc.constantFrom('main', 'release/1.x', 'dev_branch'),
      title: fc.string({ maxLength: 120 }),
      labels: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 4 }),
      draft: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(pullRequest, { maxLength: 6 }), async (pulls) => {
        h.fake.clearPullRequests('acme/shop');
        for (const pull of pulls) h.fake.openPullRequest('acme/shop', pull);
        h.clock.advance(1000);
        const call = await callLikeArgoCd(base, PLUGIN_TOKEN, 'previews', { includeDrafts: true });
        expect(call.outcome.kind).toBe('sets');
        if (call.outcome.kind !== 'sets') return;
        expect(call.outcome.sets).toHaveLength(pulls.length);
        for (const set of call.outcome.sets) {
          expect(Object.keys(set)).toEqual([...PARAMETER_KEYS]);
          for (const value of Object.values(set)) expect(value).not.toBeNull();
          expect(set).not.toHaveProperty('generator');
          expect(set).not.toHaveProperty('values');
          expect(isDns1123Label(String(set.namespace))).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('any non-2xx: Argo CD shows the JSON message (for every error the server answers)', async () => {
    const base = await listen(h);
    const wrongToken = await callLikeArgoCd(base, 'wrong', 'previews');
    expect(wrongToken.outcome).toEqual({ kind: 'error', message: 'API error with status code 403: invalid plugin token' });
    const badParameter = await callLikeArgoCd(base, PLUGIN_TOKEN, 'previews', { limit: 'ten' });
    expect(badParameter.outcome).toEqual({
      kind: 'error',
      message: 'API error with status code 400: input.parameters.limit: must be a positive whole number',
    });
  });

  it("slower than the timeout: a GitHub slower than Argo CD's 30 s still gets an answer within the server's own deadline", async () => {
    await h.close();
    // The clock runs while GitHub holds an answer: to the server's deadline (300 ms), long before GitHub's 5 s.
    h = await startHarness({ timeoutMs: 300, timePassesWhileGitHubHolds: true });
    h.fake.openPullRequest('acme/shop');
    const base = await listen(h);
    expect((await callLikeArgoCd(base, PLUGIN_TOKEN, 'previews')).status).toBe(200);
    h.fake.faults.inject({ kind: 'slow', delayMs: 5_000 });
    h.clock.advance(1000);
    const asked = h.clock.now();
    const call = await callLikeArgoCd(base, PLUGIN_TOKEN, 'previews');
    // Answered at the deadline, while GitHub still holds its answer.
    expect(h.clock.now() - asked).toBe(300);
    expect(h.fake.heldRequests).toHaveLength(1);
    // The last good listing answers while it is fresh: the preview stays.
    expect(call.outcome).toMatchObject({ kind: 'sets', sets: [{ number: '1' }] });
  });

  it('the judge itself follows the table (so the tests above cannot pass by accident)', () => {
    expect(interpretAsArgoCd(204, '')).toEqual({ kind: 'sets', sets: [] });
    expect(interpretAsArgoCd(200, '{}')).toEqual({ kind: 'sets', sets: [] });
    expect(interpretAsArgoCd(200, '{"output":{}}')).toEqual({ kind: 'sets', sets: [] });
    expect(interpretAsArgoCd(200, '{"output":{"parameters":null}}')).toEqual({ kind: 'sets', sets: [] });
    expect(interpretAsArgoCd(200, '{"output":{"parameters":[null]}}')).toEqual({ kind: 'sets', sets: [{}] });
    expect(interpretAsArgoCd(200, '{"output":{"parameters":["x"]}}').kind).toBe('error');
    expect(interpretAsArgoCd(200, '{"output":{"parameters":{}}}').kind).toBe('error');
    expect(interpretAsArgoCd(500, 'boom')).toEqual({ kind: 'error', message: 'API error with status code 500: boom' });
    expect(interpretAsArgoCd(502, '{"error":"e"}')).toEqual({ kind: 'error', message: 'API error with status code 502: e' });
  });
});

describe('the request as Argo CD sends it', () => {
  beforeEach(async () => {
    h = await startHarness({ basePath: '/dynenv' });
    h.fake.openPullRequest('acme/shop');
  });

  it('keeps a path prefix of baseUrl, with or without a trailing slash', async () => {
    const base = `${await listen(h)}/dynenv`;
    expect(numbers(await h.getParams())).toEqual([1]);
    for (const url of [base, `${base}/`]) {
      const call = await callLikeArgoCd(url, PLUGIN_TOKEN, 'previews');
      expect(call.outcome).toMatchObject({ kind: 'sets', sets: [{ number: '1' }] });
    }
    const withoutPrefix = await h.app.inject({ method: 'POST', url: '/api/v1/getparams.execute' });
    expect(withoutPrefix.statusCode).toBe(404);
    expect(withoutPrefix.json()).toEqual({ message: 'no route POST /api/v1/getparams.execute', code: 'NOT_FOUND' });
  });

  it('accepts a body without parameters, with null ones, and ignores unknown fields', async () => {
    const send = (payload: string) =>
      h.app.inject({
        method: 'POST',
        url: '/dynenv/api/v1/getparams.execute',
        headers: { authorization: `Bearer ${PLUGIN_TOKEN}`, 'content-type': 'application/json' },
        payload,
      });
    for (const payload of [
      '{"applicationSetName":"x","input":{}}\n',
      '{"applicationSetName":"x","input":{"parameters":null}}',
      '{"applicationSetName":"x"}',
      '{"applicationSetName":"x","input":{"parameters":{"repo":"acme/shop"}},"extra":true}',
    ]) {
      expect(numbers(await send(payload))).toEqual([1]);
    }
  });

  it('refuses an unknown parameter with a 400 naming the one probably meant, so that a typo never drops a filter', async () => {
    const typo = await h.app.inject({
      method: 'POST',
      url: '/dynenv/api/v1/getparams.execute',
      headers: { authorization: `Bearer ${PLUGIN_TOKEN}`, 'content-type': 'application/json' },
      payload: { applicationSetName: 'x', input: { parameters: { repo: 'acme/shop', lables: ['preview'] } } },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toEqual({ code: 'INVALID_PARAMETER', message: 'input.parameters.lables: unknown parameter (did you mean "labels"?)' });
    const unrelated = await h.app.inject({
      method: 'POST',
      url: '/dynenv/api/v1/getparams.execute',
      headers: { authorization: `Bearer ${PLUGIN_TOKEN}`, 'content-type': 'application/json' },
      payload: { applicationSetName: 'x', input: { parameters: { cluster: 'eu-1' } } },
    });
    expect(unrelated.statusCode).toBe(400);
    expect(unrelated.json().message).toMatch(/^input\.parameters\.cluster: unknown parameter \(parameters are: repo, labels, excludeLabels, /);
  });

  it('refuses a body that is not a JSON object with a 400 that says so', async () => {
    const send = (payload: string, contentType = 'application/json') =>
      h.app.inject({
        method: 'POST',
        url: '/dynenv/api/v1/getparams.execute',
        headers: { authorization: `Bearer ${PLUGIN_TOKEN}`, 'content-type': contentType },
        payload,
      });
    const notJson = await send('{"applicationSetName":');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/^request body: /) });
    expect((await send('[1,2]')).json()).toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/^request body: must be a JSON object/) });
    expect((await send('{"input":{"parameters":[1]}}')).json()).toEqual({
      code: 'INVALID_PARAMETER',
      message: 'input.parameters: must be an object',
    });
    expect((await send('hello', 'text/plain')).json()).toMatchObject({ code: 'INVALID_PARAMETER' });
    const form = await send('a=b', 'application/x-www-form-urlencoded');
    expect(form.statusCode).toBe(415);
    expect(form.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('limits the body size (413 with JSON), and survives it', async () => {
    const huge = JSON.stringify({ applicationSetName: 'x', input: { parameters: { pad: 'x'.repeat(100_000) } } });
    const response = await h.app.inject({
      method: 'POST',
      url: '/dynenv/api/v1/getparams.execute',
      headers: { authorization: `Bearer ${PLUGIN_TOKEN}`, 'content-type': 'application/json' },
      payload: huge,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect(numbers(await h.getParams())).toEqual([1]);
  });
});

describe('parameter sets', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it("carry Argo CD's keys with its values, plus namespace, url, repo, draft and updated_at", async () => {
    h.fake.openPullRequest('acme/shop', {
      head: 'Feat/Ünïcode branch',
      base: 'release/v1.2.3',
      title: 'Add checkout',
      labels: ['preview', 'team:payments'],
      author: 'octocat',
      headSha: '0123456789abcdef0123456789abcdef01234567',
    });
    const [set] = parameterSets(await h.getParams({ namespacePrefix: 'shop' }));
    expect(set).toEqual({
      number: '1',
      title: 'Add checkout',
      branch: 'Feat/Ünïcode branch',
      branch_slug: 'feat-unicode-branch',
      target_branch: 'release/v1.2.3',
      target_branch_slug: 'release-v1-2-3',
      head_sha: '0123456789abcdef0123456789abcdef01234567',
      head_short_sha: '01234567',
      head_short_sha_7: '0123456',
      author: 'octocat',
      labels: ['preview', 'team:payments'],
      namespace: 'shop-pr-1',
      url: `${h.fake.webUrl}/acme/shop/pull/1`,
      repo: 'acme/shop',
      draft: false,
      updated_at: '2025-01-01T00:00:00Z',
    });
  });

  it('emits labels as an empty array, never null, and the repository as the allowlist spells it', async () => {
    h.fake.openPullRequest('acme/shop');
    const [set] = parameterSets(await h.getParams({ repo: 'ACME/Shop' }));
    expect(set?.labels).toEqual([]);
    expect(set?.repo).toBe('acme/shop');
  });

  it('refuses a namespace prefix that would overflow 63 characters, naming namespacePrefix (no truncation)', async () => {
    h.fake.openPullRequest('acme/shop');
    const response = await h.getParams({ namespacePrefix: 'p'.repeat(50) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: 'INVALID_PARAMETER',
      message: 'input.parameters.namespacePrefix: must be at most 49 characters (has 50), so that "<prefix>-pr-<number>" stays a 63-character DNS-1123 label',
    });
    const invalid = await h.getParams({ namespacePrefix: 'Shop_EU' });
    expect(invalid.json()).toMatchObject({ message: expect.stringMatching(/^input\.parameters\.namespacePrefix: must be lower-case/) });
    expect(parameterSets(await h.getParams({ namespacePrefix: 'p'.repeat(49) }))[0]?.namespace).toBe(`${'p'.repeat(49)}-pr-1`);
  });

  it('orders the sets most recently updated first', async () => {
    for (let i = 0; i < 3; i++) h.fake.openPullRequest('acme/shop');
    h.fake.advanceClock(60_000);
    h.fake.pushCommit('acme/shop', 2);
    expect(parameterSets(await h.getParams()).map((s) => s.number)).toEqual(['2', '3', '1']);
  });
});

describe('input parameters: every bad value is a 400 naming the parameter', () => {
  beforeEach(async () => {
    h = await startHarness({ repositories: ['acme/shop', 'acme/api'] });
  });

  it.each([
    [{ repo: 'shop' }, 'input.parameters.repo: must be "owner/name"'],
    [{ repo: 42 }, 'input.parameters.repo: must be a string "owner/name"'],
    [{ repo: 'acme/shop', labels: 7 }, 'input.parameters.labels: must be a list of strings or a comma-separated string'],
    [{ repo: 'acme/shop', excludeLabels: [1] }, 'input.parameters.excludeLabels: must be a list of strings or a comma-separated string'],
    [{ repo: 'acme/shop', includeDrafts: 'yes' }, 'input.parameters.includeDrafts: must be true or false'],
    [{ repo: 'acme/shop', includeForks: 1 }, 'input.parameters.includeForks: must be true or false'],
    [{ repo: 'acme/shop', targetBranches: { main: true } }, 'input.parameters.targetBranches: must be a list of strings or a comma-separated string'],
    [{ repo: 'acme/shop', branchMatch: '(' }, expect.stringMatching(/^input\.parameters\.branchMatch: is not a valid regular expression/)],
    [
      { repo: 'acme/shop', titleMatch: '^(?!WIP)' },
      "input.parameters.titleMatch: is not a valid regular expression (invalid or unsupported Perl syntax: `(?!`): lookaround and backreferences are not supported (RE2 syntax, as in Argo CD's pull-request generator)",
    ],
    [{ repo: 'acme/shop', titleMatch: 'x'.repeat(300) }, 'input.parameters.titleMatch: must be at most 256 characters'],
    [{ repo: 'acme/shop', maxAgeHours: -1 }, 'input.parameters.maxAgeHours: must be a positive number'],
    [{ repo: 'acme/shop', maxAgeHours: 'soon' }, 'input.parameters.maxAgeHours: must be a positive number'],
    [{ repo: 'acme/shop', limit: 2.5 }, 'input.parameters.limit: must be a positive whole number'],
    [{ repo: 'acme/shop', limit: 0 }, 'input.parameters.limit: must be a positive whole number'],
    [{ repo: 'acme/shop', namespacePrefix: 5 }, 'input.parameters.namespacePrefix: must be a string'],
    [{}, 'input.parameters.repo: is required: the server serves acme/shop, acme/api'],
  ])('%j → %s', async (parameters, message) => {
    const response = await h.getParams(parameters);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'INVALID_PARAMETER', message });
    expect(h.fake.counters.total).toBe(0);
  });

  it('refuses a repository outside DYNENV_REPOS with 403, without asking GitHub', async () => {
    const response = await h.getParams({ repo: 'evil/secrets' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      code: 'REPOSITORY_NOT_ALLOWED',
      message: "input.parameters.repo: evil/secrets is not in the server's DYNENV_REPOS (acme/shop, acme/api)",
    });
    expect(h.fake.counters.total).toBe(0);
  });

  it('serves each allowed repository from its own listing', async () => {
    h.fake.openPullRequest('acme/shop');
    h.fake.openPullRequest('acme/api');
    h.fake.openPullRequest('acme/api');
    expect(parameterSets(await h.getParams({ repo: 'acme/api' })).map((s) => [s.repo, s.number])).toEqual([
      ['acme/api', '2'],
      ['acme/api', '1'],
    ]);
    expect(parameterSets(await h.getParams({ repo: 'acme/shop' })).map((s) => [s.repo, s.number])).toEqual([['acme/shop', '1']]);
  });
});
