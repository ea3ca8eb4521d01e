/**
 * Secrets are compared in constant time, shown by what the comparison does rather than by reading its code:
 * crypto.timingSafeEqual is watched (and, to show that nothing else decides, made to answer wrongly).
 * - The plugin token: the bearer check hashes both sides to fixed-length digests and compares those with
 *   timingSafeEqual, so neither the content nor the length of a guess shows in the time a refusal takes, and a
 *   guess of another length is a 403, not a timingSafeEqual RangeError (500).
 * - The webhook signature: @octokit/webhooks-methods' verify compares with timingSafeEqual too, after a length
 *   check of the fixed-format signature (`sha256=` and 64 hex digits: its length reveals nothing).
 */
import { sign } from '@octokit/webhooks-methods';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

// The files of a worker share their modules (vitest.config.ts): without a reset, the plugin server's modules
// another file loaded first would keep the real node:crypto.
vi.resetModules();
const { timingSafeEqual } = await import('node:crypto');
const { createBearerTokenCheck } = await import('../../plugin-server/auth.ts');
const { buildServer } = await import('../../plugin-server/app.ts');
const { PluginError } = await import('../../plugin-server/errors.ts');

const TOKEN = 'plugin-token-0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-fedcba9876543210';
const check = createBearerTokenCheck(TOKEN);
const ask = (token: string) =>
  check({ headers: { authorization: `Bearer ${token}` } } as FastifyRequest).then(
    () => 'accepted',
    (error: unknown) => (error instanceof PluginError ? error.code : error),
  );
const compared = vi.mocked(timingSafeEqual);
beforeEach(() => {
  compared.mockClear();
});

const GUESSES = [
  ['the token', TOKEN],
  ['one character', 'p'],
  ['another first character', `q${TOKEN.slice(1)}`],
  ['a prefix of the token', TOKEN.slice(0, -1)],
  ['the token and one more character', `${TOKEN}0`],
  ['the token with its last character changed', `${TOKEN.slice(0, -1)}0`],
  ['ten thousand characters', 'x'.repeat(10_000)],
] as const;

describe('the plugin token', () => {
  it.each(GUESSES)('against %s: one timingSafeEqual of two 32-byte digests', async (_case, token) => {
    expect(await ask(token)).toBe(token === TOKEN ? 'accepted' : 'FORBIDDEN');
    expect(compared).toHaveBeenCalledTimes(1);
    const [a, b] = compared.mock.calls[0]! as [Buffer, Buffer];
    expect([a.length, b.length]).toEqual([32, 32]);
  });

  it('is decided by timingSafeEqual alone: no comparison of the strings before or after it', async () => {
    for (const [, token] of GUESSES) {
      compared.mockReturnValueOnce(true);
      expect(await ask(token)).toBe('accepted');
      compared.mockReturnValueOnce(false);
      expect(await ask(token)).toBe('FORBIDDEN');
    }
    expect(compared).toHaveBeenCalledTimes(2 * GUESSES.length);
  });
});

describe('the webhook signature', () => {
  const invalidated: string[] = [];
  const app = buildServer({
    config: { pluginToken: TOKEN, basePath: '', webhookSecret: WEBHOOK_SECRET, repositories: ['acme/shop'] },
    // Only the signature matters here: the webhook asks nothing of GitHub, it invalidates a listing.
    pullRequests: {
      listOpenPullRequests: () => Promise.reject(new Error('not asked')),
      invalidate: (repository) => void invalidated.push(repository),
    },
    logger: false,
  });
  beforeAll(() => app.ready());
  afterAll(() => app.close());

  const payload = JSON.stringify({ action: 'opened', number: 1, repository: { full_name: 'acme/shop' } });
  const deliver = (signature: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/webhook/github',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': signature },
      payload,
    });
  const flip = (hex: string) => (hex === '0' ? '1' : '0');

  it('is compared with timingSafeEqual over buffers of equal length, and decided by it', async () => {
    const good = await sign(WEBHOOK_SECRET, payload);
    const forged = `${good.slice(0, -1)}${flip(good.slice(-1))}`;
    expect((await deliver(good)).statusCode).toBe(200);
    expect((await deliver(forged)).statusCode).toBe(401);
    expect(compared.mock.calls.map(([a, b]) => [a.byteLength, b.byteLength])).toEqual([
      [good.length, good.length],
      [good.length, good.length],
    ]);
    expect(invalidated).toEqual(['acme/shop']);

    compared.mockReturnValueOnce(true);
    expect((await deliver(forged)).statusCode).toBe(200);
    compared.mockReturnValueOnce(false);
    expect((await deliver(good)).statusCode).toBe(401);
  });

  it('of another length is refused (401), not an error: the length check comes before timingSafeEqual', async () => {
    const good = await sign(WEBHOOK_SECRET, payload);
    for (const signature of [good.slice(0, -1), `${good}0`, 'sha256=', 'x'.repeat(10_000)]) {
      expect((await deliver(signature)).statusCode).toBe(401);
    }
    expect(compared).not.toHaveBeenCalled();
  });
});
