/**
 * The secrets the plugin server holds never reach its logs, at the most verbose level, whatever happens: the
 * server is started as `dynenv serve` starts it (startPluginServer, configuration from the environment, the real
 * GitHub client with its debug lines), once with a GitHub token and once as a GitHub App, and put through bad
 * tokens, forged and genuine webhooks, bad bodies, and GitHub failing in every way the fake can. Every line is
 * scanned for the plugin token, the GitHub token, the webhook secret, the App's private key and the installation
 * tokens GitHub issued, as written and base64-encoded.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sign } from '@octokit/webhooks-methods';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { startPluginServer } from '../../plugin-server/main.ts';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.ts';
import { TimeLapseClock, timePassesWhileHeld } from '../support/simulated-time.ts';
import { callLikeArgoCd } from './argo-client.ts';
import { FAULTS } from './fault-cases.ts';

const PLUGIN_TOKEN = 'logs-plugin-token-7c1d9e';
const WEBHOOK_SECRET = 'logs-webhook-secret-3a8f02';

let fake: FakeGitHub;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await fake.close();
});

// Time is simulated: back-off waits pass at once, and a slow GitHub lets the clock run to the listing's deadline.
const DEADLINE_SECONDS = 20;

async function start(credentials: Record<string, string>): Promise<{ url: string; lines: string[] }> {
  const clock = new TimeLapseClock();
  fake = await startFakeGitHub({ clock, onHold: timePassesWhileHeld(clock, DEADLINE_SECONDS * 1000) });
  fake.createRepository('acme/shop');
  for (let i = 0; i < 3; i++) fake.openPullRequest('acme/shop');
  const lines: string[] = [];
  app = await startPluginServer(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      PLUGIN_TOKEN,
      GITHUB_API_URL: fake.url,
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      DYNENV_REPOS: 'acme/shop',
      DYNENV_LOG_LEVEL: 'trace',
      DYNENV_GITHUB_TIMEOUT_SECONDS: String(DEADLINE_SECONDS),
      ...credentials,
    },
    { logStream: { write: (line) => lines.push(line) }, clock },
  );
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, lines };
}

/** Everything that should make the server log: bad callers, webhooks, and GitHub failing every way. */
async function exercise(url: string): Promise<void> {
  const post = (path: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>) =>
    fetch(`${url}${path}`, { method: 'POST', headers, body }).then((response) => response.text());
  const json = { 'content-type': 'application/json' };
  expect((await callLikeArgoCd(url, PLUGIN_TOKEN, 'previews')).status).toBe(200);
  for (const token of [`${PLUGIN_TOKEN}x`, PLUGIN_TOKEN.slice(0, -1), '$plugin.token', PLUGIN_TOKEN.toUpperCase()]) {
    expect((await callLikeArgoCd(url, token, 'previews')).status).toBe(403);
  }
  for (const authorization of [
    `Basic ${Buffer.from(`argocd:${PLUGIN_TOKEN}`).toString('base64')}`,
    `Token ${PLUGIN_TOKEN}`,
    `Bearer ${PLUGIN_TOKEN} ${PLUGIN_TOKEN}`,
  ]) {
    await post('/api/v1/getparams.execute', { ...json, authorization }, '{}');
  }
  await post('/api/v1/getparams.execute', { ...json, authorization: `Bearer ${PLUGIN_TOKEN}` }, new Uint8Array([0x7b, 0xff, 0x7d]));
  await post('/api/v1/getparams.execute', { ...json, authorization: `Bearer ${PLUGIN_TOKEN}` }, '{"input":{"parameters":{"repo":"evil/secrets"}}}');

  const event = JSON.stringify({ action: 'opened', number: 1, repository: { full_name: 'acme/shop' } });
  for (const signature of [await sign(WEBHOOK_SECRET, event), await sign('not-the-secret', event), `sha256=${WEBHOOK_SECRET}`, '']) {
    await post('/api/v1/webhook/github', { ...json, 'x-github-event': 'pull_request', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, event);
  }

  for (const { fault, match } of FAULTS) {
    fake.faults.inject(fault, { match: { path: '/repos/acme/shop/pulls', ...match } });
    // The webhook makes the next poll ask GitHub rather than reuse the last check.
    await post('/api/v1/webhook/github', { ...json, 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, event) }, event);
    await callLikeArgoCd(url, PLUGIN_TOKEN, 'previews');
    fake.faults.clear();
  }
}

/** One poll after the webhook made the server forget its last check. */
async function pollAfterWebhook(url: string): Promise<void> {
  const event = JSON.stringify({ action: 'closed', number: 1, repository: { full_name: 'acme/shop' } });
  await fetch(`${url}/api/v1/webhook/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, event) },
    body: event,
  });
  await callLikeArgoCd(url, PLUGIN_TOKEN, 'previews');
}

function expectNoSecret(lines: readonly string[], secrets: readonly string[]): void {
  const forms = secrets.flatMap((secret) => [secret, Buffer.from(secret).toString('base64')]);
  const leaks = lines.filter((line) => forms.some((form) => line.includes(form)));
  expect(leaks).toEqual([]);
}

describe("secrets in the plugin server's logs", () => {
  it('never appear, at trace level, with a GitHub token', async () => {
    const { url, lines } = await start({ GITHUB_TOKEN: 'ghp_FakeTokenForTheLogsTest0123456789' });
    fake.acceptToken('ghp_FakeTokenForTheLogsTest0123456789');
    await exercise(url);
    fake.revokeToken('ghp_FakeTokenForTheLogsTest0123456789');
    await pollAfterWebhook(url);
    // The run did log what it went through, so the scan means something.
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.some((line) => line.includes('invalid plugin token'))).toBe(true);
    expect(lines.some((line) => line.includes('X-Hub-Signature-256 is missing or does not match'))).toBe(true);
    expect(lines.some((line) => line.includes("rejected the server's credentials"))).toBe(true);
    expectNoSecret(lines, [PLUGIN_TOKEN, WEBHOOK_SECRET, 'ghp_FakeTokenForTheLogsTest0123456789']);
  });

  it('never appear, at trace level, as a GitHub App: neither its private key nor the installation tokens', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { url, lines } = await start({ GITHUB_APP_ID: '4242', GITHUB_APP_INSTALLATION_ID: '99', GITHUB_APP_PRIVATE_KEY: pem });
    fake.apps.register(4242, 99, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await exercise(url);
    expect(fake.apps.issuedTokens.length).toBeGreaterThan(0);
    const keyLines = pem.split('\n').filter((line) => line.length > 40 && !line.startsWith('-----'));
    expectNoSecret(lines, [PLUGIN_TOKEN, WEBHOOK_SECRET, ...fake.apps.issuedTokens, ...keyLines]);
  });
});
