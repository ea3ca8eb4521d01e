/**
 * Secrets are compared in constant time. The plugin token: the bearer check hashes both sides to fixed-length
 * digests and compares those with crypto.timingSafeEqual, so neither the content nor the length of a guess shows
 * in the time a refusal takes, and a guess of another length is a 403, not a timingSafeEqual RangeError (500).
 * The webhook signature: @octokit/webhooks-methods' verify, whose Node build compares with timingSafeEqual too.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../support/workspace.ts';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { timingSafeEqual } = await import('node:crypto');
const { createBearerTokenCheck } = await import('../../plugin-server/auth.ts');
const { PluginError } = await import('../../plugin-server/errors.ts');

const TOKEN = 'plugin-token-0123456789abcdef';
const check = createBearerTokenCheck(TOKEN);
const ask = (token: string) => check({ headers: { authorization: `Bearer ${token}` } } as FastifyRequest);

describe('timing-safe comparison of secrets', () => {
  it.each([
    ['the token', TOKEN, true],
    ['one character', 'p', false],
    ['a prefix of the token', TOKEN.slice(0, -1), false],
    ['the token and one more character', `${TOKEN}0`, false],
    ['the token with its last character changed', `${TOKEN.slice(0, -1)}0`, false],
    ['ten thousand characters', 'x'.repeat(10_000), false],
  ])('the plugin token against %s: one timingSafeEqual of two 32-byte digests', async (_case, token, accepted) => {
    vi.mocked(timingSafeEqual).mockClear();
    const outcome = await ask(token).then(
      () => 'accepted',
      (error: unknown) => (error instanceof PluginError ? error.code : error),
    );
    expect(outcome).toBe(accepted ? 'accepted' : 'FORBIDDEN');
    expect(vi.mocked(timingSafeEqual)).toHaveBeenCalledTimes(1);
    const [a, b] = vi.mocked(timingSafeEqual).mock.calls[0]! as [Buffer, Buffer];
    expect([a.length, b.length]).toEqual([32, 32]);
  });

  it('never compares the token as a string (no === or startsWith on it)', async () => {
    const source = await readFile(fileURLToPath(new URL('../../plugin-server/auth.ts', import.meta.url)), 'utf8');
    expect(source).not.toMatch(/(token|pluginToken|expected)\s*[!=]==|[!=]==\s*(token|pluginToken|expected)\b/);
    expect(source).not.toMatch(/pluginToken\.(startsWith|includes|localeCompare)/);
  });

  it('the webhook signature is verified with timingSafeEqual after a length check of the fixed-format signature', async () => {
    // The build Node loads (the package's "exports" send the node condition to dist-node).
    const entry = path.join(REPO_ROOT, 'node_modules/@octokit/webhooks-methods/dist-node/index.js');
    const verify = await readFile(entry, 'utf8');
    expect(verify).toMatch(/if \(signatureBuffer\.length !== verificationBuffer\.length\) \{\s*return false;\s*\}\s*return timingSafeEqual\(signatureBuffer, verificationBuffer\);/);
  });
});
