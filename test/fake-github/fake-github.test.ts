import { generateKeyPairSync } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { beforeEach, describe, expect, it } from 'vitest';
import { operationId, responseProblems } from './openapi.ts';
import { IMPLEMENTED_OPERATIONS, LIST_PULLS } from './routes.ts';
import { CREATE_INSTALLATION_TOKEN } from './app-auth.ts';
import { startGitHub } from '../support/fake-github.ts';
import { startFakeGitHub, type FakeGitHub } from './index.ts';
import { ManualClock } from '../../plugin-server/clock.ts';
import { eventually } from '../support/eventually.ts';
import { outcomeNow } from '../support/outcome-now.ts';

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startGitHub('acme/shop');
});

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, { headers: { authorization: `token ${fake.token}`, ...headers } });
}

function send(method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `token ${fake.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the operations the fake implements', () => {
  it("are operations of GitHub's OpenAPI description", () => {
    expect([...IMPLEMENTED_OPERATIONS, CREATE_INSTALLATION_TOKEN].map(operationId)).toEqual([
      'pulls/list',
      'pulls/create',
      'pulls/get',
      'pulls/update',
      'repos/get',
      'repos/list-deployments',
      'repos/create-deployment',
      'repos/get-deployment',
      'repos/list-deployment-statuses',
      'repos/create-deployment-status',
      'issues/list-comments',
      'issues/create-comment',
      'issues/update-comment',
      'apps/create-installation-access-token',
    ]);
  });

  it('rejects a response that GitHub would never send (the validator is not a rubber stamp)', () => {
    expect(responseProblems(LIST_PULLS, 200, [{ number: '1' }])).toContain("/0 must have required property '_links'");
    expect(responseProblems(LIST_PULLS, 200, {})).toContain('(root) must be array');
  });
});

describe('GET /repos/{owner}/{repo}/pulls', () => {
  it("pages 250 open pull requests 100 at a time, newest first, with GitHub's Link header", async () => {
    for (let i = 0; i < 250; i++) fake.openPullRequest('acme/shop');
    const page1 = await get('/repos/acme/shop/pulls?state=open&per_page=100&page=1');
    const items1 = (await page1.json()) as Array<{ number: number }>;
    expect(items1).toHaveLength(100);
    expect(items1[0]?.number).toBe(250);
    const link = page1.headers.get('link') ?? '';
    expect(link).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/repositories\/\d+\/pulls\?state=open&per_page=100&page=2>; rel="next", <.*page=3>; rel="last"$/);
    // The Link target answers too: that is where Octokit's paginate goes next.
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    const page2 = await fetch(next, { headers: { authorization: `token ${fake.token}` } });
    expect(((await page2.json()) as unknown[]).length).toBe(100);
    const page3 = await get('/repos/acme/shop/pulls?state=open&per_page=100&page=3');
    expect(((await page3.json()) as unknown[]).length).toBe(50);
    expect(page3.headers.get('link')).toMatch(/rel="prev".*rel="first"/);
    expect(page3.headers.get('link')).not.toMatch(/rel="next"/);
  });

  it("follows with Octokit's own paginate through every page", async () => {
    for (let i = 0; i < 250; i++) fake.openPullRequest('acme/shop');
    fake.closePullRequest('acme/shop', 7);
    const octokit = new Octokit({ auth: fake.token, baseUrl: fake.url });
    const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner: 'acme', repo: 'shop', per_page: 100 });
    expect(pulls).toHaveLength(249);
    expect(new Set(pulls.map((p) => p.number)).size).toBe(249);
    expect(pulls.some((p) => p.number === 7)).toBe(false);
  });

  it('answers a conditional request for an unchanged page with a free 304, and a changed page with 200', async () => {
    fake.openPullRequest('acme/shop');
    const first = await get('/repos/acme/shop/pulls');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));

    const unchanged = await get('/repos/acme/shop/pulls', { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(Number(unchanged.headers.get('x-ratelimit-remaining'))).toBe(remaining);

    fake.addLabels('acme/shop', 1, 'preview');
    const changed = await get('/repos/acme/shop/pulls', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(Number(changed.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
    expect(fake.counters).toEqual({ total: 3, counted: 2, notModified: 1, reset: 0 });
    expect(fake.requests.map((r) => [r.status, r.conditional, r.counted])).toEqual([
      [200, false, true],
      [304, true, false],
      [200, true, true],
    ]);
  });

  it('filters by state, head (owner:branch) and base', async () => {
    fake.openPullRequest('acme/shop', { head: 'feat/a', base: 'main' });
    fake.openPullRequest('acme/shop', { head: 'feat/b', base: 'release' });
    fake.openPullRequest('acme/shop', { head: 'feat/a', fromForkOf: 'mallory' });
    fake.closePullRequest('acme/shop', 2);
    const numbers = async (query: string) => ((await (await get(`/repos/acme/shop/pulls?${query}`)).json()) as Array<{ number: number }>).map((p) => p.number);
    expect(await numbers('state=open')).toEqual([3, 1]);
    expect(await numbers('state=closed')).toEqual([2]);
    expect(await numbers('state=all&base=release')).toEqual([2]);
    expect(await numbers('head=acme:feat/a&state=open')).toEqual([1]);
    expect(await numbers('head=mallory:feat/a')).toEqual([3]);
    expect((await get('/repos/acme/shop/pulls?state=merged')).status).toBe(422);
  });

  it("describes a fork's pull request with the fork as head repository", async () => {
    fake.openPullRequest('acme/shop', { fromForkOf: 'mallory' });
    const [pull] = (await (await get('/repos/acme/shop/pulls')).json()) as Array<{
      head: { repo: { full_name: string; fork: boolean } };
      base: { repo: { full_name: string } };
    }>;
    expect(pull?.head.repo).toMatchObject({ full_name: 'mallory/shop', fork: true });
    expect(pull?.base.repo.full_name).toBe('acme/shop');
  });
});

describe('pull-request creation and update (for the delivery commands)', () => {
  it('creates a pull request, refuses a duplicate, and finds it by head', async () => {
    const created = await send('POST', '/repos/acme/shop/pulls', { title: 'Promote', head: 'dynenv/promote', base: 'main' });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { number: number; state: string; merged: boolean };
    expect(body).toMatchObject({ number: 1, state: 'open', merged: false });
    expect(created.headers.get('location')).toBe(`${fake.url}/repos/acme/shop/pulls/1`);

    const again = await send('POST', '/repos/acme/shop/pulls', { title: 'Promote', head: 'acme:dynenv/promote', base: 'main' });
    expect(again.status).toBe(422);
    expect(JSON.stringify(await again.json())).toContain('A pull request already exists for acme:dynenv/promote.');

    const found = await get('/repos/acme/shop/pulls?head=acme:dynenv/promote&state=open');
    expect(((await found.json()) as Array<{ number: number }>).map((p) => p.number)).toEqual([1]);
  });

  it("refuses a body GitHub's description refuses (422), without acting on it", async () => {
    const response = await send('POST', '/repos/acme/shop/pulls', { title: 'No head nor base' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [
        { code: 'invalid', message: "(root) must have required property 'head'" },
        { code: 'invalid', message: "(root) must have required property 'base'" },
      ],
    });
    expect(fake.repository('acme/shop')?.pulls.size).toBe(0);
  });

  it('updates and closes a pull request with PATCH', async () => {
    fake.openPullRequest('acme/shop', { title: 'Old' });
    const response = await send('PATCH', '/repos/acme/shop/pulls/1', { title: 'New', state: 'closed' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ title: 'New', state: 'closed' });
    expect(fake.pull('acme/shop', 1)).toMatchObject({ title: 'New', state: 'closed' });
    expect((await send('PATCH', '/repos/acme/shop/pulls/1', { state: 'merged' })).status).toBe(422);
    expect((await send('PATCH', '/repos/acme/shop/pulls/9', { title: 'x' })).status).toBe(404);
  });

  it('describes a repository, and answers 404 for one that does not exist', async () => {
    const repo = await get('/repos/acme/shop');
    expect(await repo.json()).toMatchObject({ full_name: 'acme/shop', default_branch: 'main', private: false });
    const missing = await get('/repos/acme/nothing');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'Not Found' });
  });
});

describe('credentials', () => {
  it('answers 401 Bad credentials to an unknown or revoked token', async () => {
    const unknown = await fetch(`${fake.url}/repos/acme/shop/pulls`, { headers: { authorization: 'token nope' } });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ message: 'Bad credentials' });
    fake.revokeToken(fake.token);
    expect((await get('/repos/acme/shop/pulls')).status).toBe(401);
  });

  it('authenticates a GitHub App: its JWT buys an installation token that then lists pull requests', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fake.apps.register(42, 7, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    fake.openPullRequest('acme/shop');
    const octokit = new Octokit({
      baseUrl: fake.url,
      authStrategy: createAppAuth,
      auth: { appId: 42, installationId: 7, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    });
    const { data } = await octokit.rest.pulls.list({ owner: 'acme', repo: 'shop' });
    expect(data.map((p) => p.number)).toEqual([1]);
    expect(fake.apps.issuedTokens).toHaveLength(1);
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`token ${fake.apps.issuedTokens[0]}`);

    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const impostor = new Octokit({
      baseUrl: fake.url,
      authStrategy: createAppAuth,
      auth: { appId: 42, installationId: 7, privateKey: stranger.export({ type: 'pkcs8', format: 'pem' }).toString() },
    });
    await expect(impostor.rest.pulls.list({ owner: 'acme', repo: 'shop' })).rejects.toMatchObject({ status: 401 });
  });
});

describe('fault injection', () => {
  beforeEach(() => {
    fake.openPullRequest('acme/shop');
  });

  it("answers 5xx with GitHub's error body", async () => {
    fake.faults.inject({ kind: 'server-error', status: 503 }, { times: 1 });
    const failed = await get('/repos/acme/shop/pulls');
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ message: 'Server Error', documentation_url: 'https://docs.github.com/rest' });
    expect((await get('/repos/acme/shop/pulls')).status).toBe(200);
  });

  it('answers 403 with x-ratelimit-remaining: 0 and a reset time for the primary rate limit', async () => {
    fake.faults.inject({ kind: 'rate-limit', resetInSeconds: 120 });
    const limited = await get('/repos/acme/shop/pulls');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(Date.now() / 1000 + 100);
    expect(((await limited.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/);
  });

  it('answers 429 with retry-after for a secondary rate limit', async () => {
    fake.faults.inject({ kind: 'secondary-rate-limit', retryAfterSeconds: 7 });
    const limited = await get('/repos/acme/shop/pulls');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/);
  });

  it("answers late: a slow answer is held for its delay on the fake's clock", async () => {
    const clock = new ManualClock();
    const slow = await startFakeGitHub({ clock });
    try {
      slow.createRepository('acme/shop');
      slow.faults.inject({ kind: 'slow', delayMs: 300 }, { times: 1 });
      const answer = fetch(`${slow.url}/repos/acme/shop/pulls`, { headers: { authorization: `token ${slow.token}` } });
      await eventually(() => expect(slow.heldRequests.map((r) => r.path)).toEqual(['/repos/acme/shop/pulls']));
      clock.advance(299);
      await outcomeNow(answer);
      expect(slow.heldRequests).toHaveLength(1);
      clock.advance(1);
      expect((await answer).status).toBe(200);
      expect(slow.heldRequests).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('truncates the body: the status is 200 but the JSON does not parse', async () => {
    fake.faults.inject({ kind: 'truncated-body' }, { times: 1 });
    const truncated = await get('/repos/acme/shop/pulls');
    expect(truncated.status).toBe(200);
    const text = await truncated.text();
    expect(text.length).toBeGreaterThan(10);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('resets the connection, before the headers or in the middle of the body', async () => {
    fake.faults.inject({ kind: 'connection-reset' }, { times: 1 });
    await expect(get('/repos/acme/shop/pulls')).rejects.toThrow();
    fake.faults.inject({ kind: 'connection-reset', afterHeaders: true }, { times: 1 });
    const response = await get('/repos/acme/shop/pulls');
    await expect(response.text()).rejects.toThrow();
    expect(fake.counters.reset).toBe(2);
  });

  it('hits only the requests it matches (one page of a listing), as many times as told', async () => {
    const rule = fake.faults.inject({ kind: 'server-error' }, { match: { method: 'GET', path: /\/pulls$/, page: 2 }, times: 2 });
    expect((await get('/repos/acme/shop/pulls?page=1')).status).toBe(200);
    expect((await get('/repos/acme/shop/pulls?page=2')).status).toBe(502);
    expect((await get('/repos/acme/shop/pulls?page=2')).status).toBe(502);
    expect((await get('/repos/acme/shop/pulls?page=2')).status).toBe(200);
    expect(rule.hits).toBe(2);
    expect(fake.requests.map((r) => r.fault)).toEqual([undefined, 'server-error', 'server-error', undefined]);
  });

  it('answers 401 and 404 on demand', async () => {
    const unauthorised = fake.faults.inject({ kind: 'bad-credentials' });
    expect((await get('/repos/acme/shop/pulls')).status).toBe(401);
    unauthorised.remove();
    fake.faults.inject({ kind: 'not-found' });
    expect((await get('/repos/acme/shop/pulls')).status).toBe(404);
    fake.faults.clear();
    expect((await get('/repos/acme/shop/pulls')).status).toBe(200);
  });
});

describe('deployments and their statuses (for the preview loop)', () => {
  const deploy = (body: Record<string, unknown>) =>
    octokitOf().rest.repos.createDeployment({ owner: 'acme', repo: 'shop', auto_merge: false, required_contexts: [], ...body } as never);
  const octokitOf = () => new Octokit({ auth: fake.token, baseUrl: fake.url });

  it('creates, lists newest first and filters by environment and sha, with statuses newest first', async () => {
    const octokit = octokitOf();
    const sha = 'a'.repeat(40);
    const first = (await deploy({ ref: sha, environment: 'shop-pr-1', transient_environment: true })).data as { id: number };
    const second = (await deploy({ ref: 'b'.repeat(40), environment: 'shop-pr-1', transient_environment: true })).data as { id: number };
    await deploy({ ref: sha, environment: 'shop-pr-2' });
    const listed = await octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'shop', environment: 'shop-pr-1' });
    expect(listed.data.map((d) => d.id)).toEqual([second.id, first.id]);
    expect(listed.data[1]).toMatchObject({ sha, environment: 'shop-pr-1', transient_environment: true, creator: { login: 'dynenv-bot' } });
    expect((await octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'shop', sha })).data).toHaveLength(2);
    for (const state of ['in_progress', 'success'] as const) {
      await octokit.rest.repos.createDeploymentStatus({
        owner: 'acme',
        repo: 'shop',
        deployment_id: first.id,
        state,
        environment_url: 'https://pr-1.example.test',
        auto_inactive: false,
      });
    }
    const statuses = await octokit.rest.repos.listDeploymentStatuses({ owner: 'acme', repo: 'shop', deployment_id: first.id, per_page: 1 });
    expect(statuses.data.map((s) => [s.state, s.environment_url])).toEqual([['success', 'https://pr-1.example.test']]);
  });

  it('marks the earlier successful deployments of a lasting environment inactive (auto_inactive), not transient ones', async () => {
    const octokit = octokitOf();
    const succeed = async (environment: string, ref: string, transient: boolean) => {
      const { id } = (await deploy({ ref, environment, transient_environment: transient, production_environment: false })).data as { id: number };
      await octokit.rest.repos.createDeploymentStatus({ owner: 'acme', repo: 'shop', deployment_id: id, state: 'success' });
      return fake.deployments.all.find((d) => d.id === id)!;
    };
    const staging = await succeed('staging', 'a'.repeat(40), false);
    const preview = await succeed('shop-pr-3', 'a'.repeat(40), true);
    await succeed('staging', 'b'.repeat(40), false);
    await succeed('shop-pr-3', 'b'.repeat(40), true);
    expect(fake.deployments.lastState(staging)).toBe('inactive');
    expect(fake.deployments.lastState(preview)).toBe('success');
  });

  it('refuses a deployment that would wait for status checks or merge the default branch (409)', async () => {
    const response = await send('POST', '/repos/acme/shop/deployments', { ref: 'main', environment: 'x' });
    expect(response.status).toBe(409);
  });
});

describe('issue comments (for the preview loop)', () => {
  it("lists a pull request's comments oldest first, creates them, and edits only its own", async () => {
    const octokit = new Octokit({ auth: fake.token, baseUrl: fake.url });
    const pull = fake.openPullRequest('acme/shop');
    const someone = fake.comments.add('acme/shop', pull.number, fake.user('reviewer'), 'LGTM');
    const { data: mine } = await octokit.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: pull.number, body: 'first' });
    await octokit.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: mine.id, body: 'edited' });
    const { data } = await octokit.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: pull.number });
    expect(data.map((c) => [c.user?.login, c.body])).toEqual([
      ['reviewer', 'LGTM'],
      ['dynenv-bot', 'edited'],
    ]);
    await expect(octokit.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: someone.id, body: 'x' })).rejects.toMatchObject({ status: 403 });
    expect((await send('POST', `/repos/acme/shop/issues/999/comments`, { body: 'x' })).status).toBe(404);
  });
});
