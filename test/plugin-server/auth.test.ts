import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_TOKEN, numbers, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.fake.openPullRequest('acme/shop');
});
afterAll(async () => {
  await h.close();
});

function call(headers: Record<string, string>) {
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/getparams.execute',
    headers: { 'content-type': 'application/json', ...headers },
    payload: '{"applicationSetName":"previews","input":{}}\n',
  });
}

describe('bearer-token authentication of getparams', () => {
  it.each([
    ['missing (Argo CD sends none when the token is empty)', {}, 401, 'UNAUTHENTICATED', /^missing Authorization header/],
    ['empty', { authorization: '' }, 401, 'UNAUTHENTICATED', /^missing Authorization header/],
    [
      'Basic scheme',
      { authorization: `Basic ${Buffer.from(`argocd:${PLUGIN_TOKEN}`).toString('base64')}` },
      401,
      'UNAUTHENTICATED',
      /^malformed Authorization header: expected exactly "Bearer <token>"$/,
    ],
    ['Bearer without a token', { authorization: 'Bearer ' }, 401, 'UNAUTHENTICATED', /^malformed/],
    ['"Bearer T extra" (the known Go plugin accepts three words)', { authorization: `Bearer ${PLUGIN_TOKEN} extra` }, 401, 'UNAUTHENTICATED', /^malformed/],
    ['the token alone, without a scheme', { authorization: PLUGIN_TOKEN }, 401, 'UNAUTHENTICATED', /^malformed/],
    ['a wrong token', { authorization: 'Bearer not-the-token' }, 403, 'FORBIDDEN', /^invalid plugin token$/],
    ['a prefix of the token', { authorization: `Bearer ${PLUGIN_TOKEN.slice(0, -1)}` }, 403, 'FORBIDDEN', /^invalid plugin token$/],
    ['the token with one more character', { authorization: `Bearer ${PLUGIN_TOKEN}x` }, 403, 'FORBIDDEN', /^invalid plugin token$/],
    [
      'a literal $key (Argo CD sends the reference when the Secret lacks the key)',
      { authorization: 'Bearer $plugin.dynenv.token' },
      403,
      'FORBIDDEN',
      /^invalid plugin token: it looks like an unresolved Argo CD secret reference/,
    ],
  ])('refuses %s with a JSON message', async (_case, headers, status, code, message) => {
    const before = h.fake.counters.total;
    const response = await call(headers);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json() as { message: string; code: string };
    expect(body.code).toBe(code);
    expect(body.message).toMatch(message);
    // Refused before anything else happens: no GitHub call, and the token is never echoed.
    expect(h.fake.counters.total).toBe(before);
    expect(response.body).not.toContain(PLUGIN_TOKEN);
  });

  it('accepts exactly "Bearer <token>", the scheme in any case', async () => {
    expect(numbers(await call({ authorization: `Bearer ${PLUGIN_TOKEN}` }))).toEqual([1]);
    expect(numbers(await call({ authorization: `bearer ${PLUGIN_TOKEN}` }))).toEqual([1]);
  });

  it('stops processing once refused: a bad request with a bad token is answered as unauthenticated, not parsed', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/getparams.execute',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(403);
  });
});
