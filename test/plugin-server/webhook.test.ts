import { sign } from '@octokit/webhooks-methods';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET, numbers, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ repositories: ['acme/shop', 'acme/api'] });
});
afterEach(async () => {
  await h.close();
});

async function deliver(event: string, payload: unknown, signature?: string) {
  const body = JSON.stringify(payload);
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/webhook/github',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      ...(signature === undefined ? { 'x-hub-signature-256': await sign(WEBHOOK_SECRET, body) } : signature === '' ? {} : { 'x-hub-signature-256': signature }),
    },
    payload: body,
  });
}

const pullRequestEvent = (action: string, repository = 'acme/shop') => ({
  action,
  number: 2,
  repository: { full_name: repository },
  pull_request: { number: 2 },
});

describe('the GitHub webhook', () => {
  it.each(['opened', 'closed', 'reopened', 'synchronize', 'labeled', 'unlabeled', 'edited', 'ready_for_review', 'converted_to_draft'])(
    'a signed pull_request %s event makes the very next poll ask GitHub',
    async (action) => {
      h.fake.openPullRequest('acme/shop');
      expect(numbers(await h.getParams({ repo: 'acme/shop' }))).toEqual([1]);
      h.fake.openPullRequest('acme/shop');
      // Without the event, a poll within the same second is answered from the check just made...
      expect(numbers(await h.getParams({ repo: 'acme/shop' }))).toEqual([1]);

      const response = await deliver('pull_request', pullRequestEvent(action));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: 'invalidated acme/shop' });
      // ...with it, the poll Argo CD makes when the same event reaches it sees the change at once.
      expect(numbers(await h.getParams({ repo: 'acme/shop' }))).toEqual([1, 2]);
    },
  );

  it('invalidates only the repository of the event', async () => {
    h.fake.openPullRequest('acme/api');
    await h.getParams({ repo: 'acme/api' });
    await deliver('pull_request', pullRequestEvent('opened', 'acme/shop'));
    h.fake.clearRequests();
    await h.getParams({ repo: 'acme/api' });
    expect(h.fake.counters.total).toBe(0);
  });

  it.each([
    ['missing', ''],
    ['wrong', 'sha256=0000000000000000000000000000000000000000000000000000000000000000'],
    ['malformed', 'not-a-signature'],
    ['signed with another secret', 'other'],
  ])('refuses a %s signature with 401 and invalidates nothing', async (_case, signature) => {
    h.fake.openPullRequest('acme/shop');
    await h.getParams({ repo: 'acme/shop' });
    const payload = pullRequestEvent('opened');
    const header = signature === 'other' ? await sign('another-secret', JSON.stringify(payload)) : signature;
    const response = await deliver('pull_request', payload, header);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      code: 'WEBHOOK_SIGNATURE_INVALID',
      message: 'X-Hub-Signature-256 is missing or does not match GITHUB_WEBHOOK_SECRET',
    });
    h.fake.clearRequests();
    await h.getParams({ repo: 'acme/shop' });
    expect(h.fake.counters.total).toBe(0);
  });

  it('checks the signature on the exact bytes: re-serialised JSON does not pass', async () => {
    const body = '{"action":"opened",  "repository":{"full_name":"acme/shop"}}';
    const signature = await sign(WEBHOOK_SECRET, JSON.stringify(JSON.parse(body)));
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/webhook/github',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': signature },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers ping, and acknowledges other events and other repositories without acting', async () => {
    expect((await deliver('ping', { zen: 'Keep it logically awesome.' })).json()).toEqual({ message: 'pong' });
    const push = await deliver('push', { ref: 'refs/heads/main', repository: { full_name: 'acme/shop' } });
    expect(push.statusCode).toBe(202);
    const stranger = await deliver('pull_request', pullRequestEvent('opened', 'evil/repo'));
    expect(stranger.statusCode).toBe(202);
    expect(stranger.json()).toEqual({ message: 'ignored: evil/repo is not in DYNENV_REPOS' });
  });

  it('says, without GITHUB_WEBHOOK_SECRET, that the secret turns it on, and acts on nothing', async () => {
    await h.close();
    h = await startHarness({ webhookSecret: undefined });
    h.fake.openPullRequest('acme/shop');
    await h.getParams({ repo: 'acme/shop' });
    h.fake.clearRequests();
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/webhook/github',
      headers: { 'x-github-event': 'pull_request' },
      payload: pullRequestEvent('opened'),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      code: 'WEBHOOK_DISABLED',
      message: "webhooks are off on this server: set GITHUB_WEBHOOK_SECRET (or GITHUB_WEBHOOK_SECRET_FILE) to the webhook's secret to receive them here",
    });
    await h.getParams({ repo: 'acme/shop' });
    expect(h.fake.counters.total).toBe(0);
  });

  it('is served at DYNENV_WEBHOOK_PATH, and only there', async () => {
    await h.close();
    h = await startHarness({ webhookPath: '/hooks/github' });
    const body = JSON.stringify(pullRequestEvent('opened'));
    const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, body) };
    const atPath = await h.app.inject({ method: 'POST', url: '/hooks/github', headers, payload: body });
    expect(atPath.statusCode).toBe(200);
    expect(atPath.json()).toEqual({ message: 'invalidated acme/shop' });
    const atDefault = await h.app.inject({ method: 'POST', url: '/api/v1/webhook/github', headers, payload: body });
    expect(atDefault.statusCode).toBe(404);
  });
});
