import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { sign } from '@octokit/webhooks-methods';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../plugin-server/clock.ts';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.ts';
import { spawnDynenv } from '../support/cli.ts';
import { eventually } from '../support/eventually.ts';
import { callLikeArgoCd } from './argo-client.ts';

const TOKEN = 'serve-test-plugin-token';
const WEBHOOK_SECRET = 'serve-test-webhook-secret';

let fake: FakeGitHub;
/** The fake's clock: a slow answer is held until the test moves it. (The server runs on its own, real clock.) */
let fakeClock: ManualClock;
let child: ChildProcessWithoutNullStreams | undefined;

beforeEach(async () => {
  fakeClock = new ManualClock();
  fake = await startFakeGitHub({ clock: fakeClock });
  fake.createRepository('acme/shop');
});
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await fake.close();
});

function serve(env: Record<string, string>): { process: ChildProcessWithoutNullStreams; output: () => string; errors: () => string } {
  // Only what the server needs: nothing from the developer's own environment (no real GITHUB_TOKEN).
  const started = spawnDynenv(['serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  }) as ChildProcessWithoutNullStreams;
  child = started;
  let stdout = '';
  let stderr = '';
  started.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  started.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { process: started, output: () => stdout, errors: () => stderr };
}

/** GitHub's `pull_request` webhook, signed: the server's next poll asks GitHub instead of reusing its last check. */
async function deliverPullRequestEvent(url: string): Promise<void> {
  const body = JSON.stringify({ action: 'synchronize', number: 1, repository: { full_name: 'acme/shop' }, pull_request: { number: 1 } });
  const response = await fetch(`${url}/api/v1/webhook/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, body) },
    body,
  });
  expect(response.status).toBe(200);
}

describe('dynenv serve', () => {
  it('starts the server from the environment, answers Argo CD over loopback, and shuts down gracefully on SIGTERM', async () => {
    for (let i = 0; i < 3; i++) fake.openPullRequest('acme/shop');
    const server = serve({
      HOST: '127.0.0.1',
      PORT: '0',
      PLUGIN_TOKEN: `  ${TOKEN}\n`,
      GITHUB_TOKEN: fake.token,
      GITHUB_API_URL: fake.url,
      DYNENV_REPOS: 'acme/shop',
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    await eventually(() => expect(server.output()).toMatch(/"msg":"dynenv plugin server ready"/));
    const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1] ?? '';
    expect(url).not.toBe('');

    const call = await callLikeArgoCd(url, TOKEN, 'previews');
    expect(call.outcome).toMatchObject({ kind: 'sets', sets: [{ number: '3' }, { number: '2' }, { number: '1' }] });

    // A request in flight when SIGTERM arrives still gets its answer; then the process exits 0. GitHub holds the
    // answer (on the fake's clock) until the server has started shutting down.
    fake.faults.inject({ kind: 'slow', delayMs: 60_000 }, { times: 1 });
    await deliverPullRequestEvent(url);
    const inFlight = callLikeArgoCd(url, TOKEN, 'previews');
    await eventually(() => expect(fake.heldRequests).toHaveLength(1));
    const exited = once(server.process, 'exit');
    server.process.kill('SIGTERM');
    await eventually(() => expect(server.output()).toMatch(/"signal":"SIGTERM".*"msg":"shutting down: finishing the requests in flight"/));
    fakeClock.advance(60_000);
    const [code] = (await exited) as [number | null];
    expect((await inFlight).outcome).toMatchObject({ kind: 'sets', sets: [{}, {}, {}] });
    expect(code).toBe(0);
    expect(server.output()).not.toContain(TOKEN);
    expect(server.output()).not.toContain(fake.token);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('refuses to start on a bad configuration, saying what is wrong', async () => {
    const server = serve({ GITHUB_TOKEN: 'x', DYNENV_REPOS: 'acme/shop', PORT: 'eighty' });
    const [code] = (await once(server.process, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(server.errors()).toBe('dynenv serve: invalid configuration:\n  - PORT: must be a port number (0-65535)\n');
    const second = serve({ GITHUB_TOKEN: 'x', DYNENV_REPOS: 'acme/shop' });
    const [secondCode] = (await once(second.process, 'exit')) as [number | null];
    expect(secondCode).toBe(1);
    expect(second.errors()).toBe('dynenv serve: invalid configuration:\n  - PLUGIN_TOKEN or PLUGIN_TOKEN_FILE is required\n');
  });
});
