import { sign } from '@octokit/webhooks-methods';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLUGIN_TOKEN, REVALIDATE_INTERVAL_MS, WEBHOOK_SECRET, numbers, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('health', () => {
  it('answers /healthz without asking GitHub, even while GitHub fails', async () => {
    h.fake.faults.inject({ kind: 'server-error' });
    expect((await h.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect(h.fake.counters.total).toBe(0);
  });

  it('is not ready, saying what it waits for, until GitHub has listed every repository once; then stays ready without asking again', async () => {
    const fault = h.fake.faults.inject({ kind: 'server-error', status: 500 });
    const waiting = await h.app.inject('/readyz');
    expect(waiting.statusCode).toBe(503);
    expect(waiting.json()).toEqual({ status: 'not ready', waitingFor: expect.stringMatching(/^the first listing of acme\/shop from GitHub: /) });

    fault.remove();
    // The failed check answers for the revalidation interval, as it would a poll; the next probe asks again.
    h.clock.advance(REVALIDATE_INTERVAL_MS);
    const ready = await h.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });

    // A later outage is answered from the last good listing: the pod stays in service and the probe asks nothing.
    h.fake.faults.inject({ kind: 'server-error', status: 500 });
    h.fake.clearRequests();
    expect((await h.app.inject('/readyz')).statusCode).toBe(200);
    expect(h.fake.counters.total).toBe(0);
  });

  it('counts a poll that listed a repository: the probe then asks GitHub nothing', async () => {
    h.fake.openPullRequest('acme/shop');
    expect(numbers(await h.getParams())).toEqual([1]);
    h.fake.clearRequests();
    expect((await h.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
    expect(h.fake.counters.total).toBe(0);
  });
});

describe('Prometheus metrics', () => {
  it('count requests by route and status, time them, and count GitHub calls by outcome, cache hits, stale answers and the rate limit left', async () => {
    h.fake.openPullRequest('acme/shop');
    await h.getParams(); // fresh: one 200 and one confirming 304
    await h.getParams(); // coalesced
    await h.poll(); // revalidated: one 304
    h.fake.faults.inject({ kind: 'server-error', status: 500 });
    await h.poll(); // stale: 500 and its retries
    await h.getParams({}, { authorization: 'Bearer wrong' });

    const response = await h.app.inject('/metrics');
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}.()[\]|+]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('dynenv_plugin_http_requests_total{route="/api/v1/getparams.execute",method="POST",status="200"}')).toBe(4);
    expect(value('dynenv_plugin_http_requests_total{route="/api/v1/getparams.execute",method="POST",status="403"}')).toBe(1);
    expect(value('dynenv_plugin_http_request_duration_seconds_count{route="/api/v1/getparams.execute"}')).toBe(5);
    expect(value('dynenv_plugin_github_requests_total{outcome="200"}')).toBe(1);
    expect(value('dynenv_plugin_github_requests_total{outcome="304"}')).toBe(2);
    expect(value('dynenv_plugin_github_requests_total{outcome="error"}')).toBe(3);
    expect(value('dynenv_plugin_cache_hits_total{repository="acme/shop",kind="coalesced"}')).toBe(1);
    expect(value('dynenv_plugin_cache_hits_total{repository="acme/shop",kind="revalidated"}')).toBe(1);
    expect(value('dynenv_plugin_stale_answers_total{repository="acme/shop"}')).toBe(1);
    expect(value('dynenv_plugin_github_rate_limit_remaining')).toBe(h.fake.rateLimit.remaining);
  });
});

describe('logs', () => {
  it('are JSON lines in which the plugin token, the GitHub token and the webhook secret never appear', async () => {
    h.fake.openPullRequest('acme/shop');
    await h.getParams();
    await h.getParams({}, { authorization: `Bearer ${PLUGIN_TOKEN}-wrong` });
    await h.getParams({}, { authorization: `Basic ${PLUGIN_TOKEN}` });
    const body = JSON.stringify({ action: 'opened', repository: { full_name: 'acme/shop' } });
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/webhook/github',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, body) },
      payload: body,
    });
    h.fake.faults.inject({ kind: 'bad-credentials' });
    await h.poll();
    h.fake.revokeToken(h.fake.token);
    h.fake.faults.clear();
    h.clock.advance(600_001);
    expect((await h.poll()).statusCode).toBe(503);
    // Someone logging a request's headers or the configuration later must still not leak them.
    h.app.log.info(
      { headers: { authorization: `Bearer ${PLUGIN_TOKEN}` }, config: { pluginToken: PLUGIN_TOKEN, webhookSecret: WEBHOOK_SECRET } },
      'careless line',
    );

    expect(h.rawLogs.length).toBeGreaterThan(20);
    expect(h.logs.some((l) => l.msg === 'incoming request')).toBe(true);
    expect(h.logs.some((l) => typeof l.msg === 'string' && l.msg.includes("rejected the server's credentials"))).toBe(true);
    const careless = h.logs.find((l) => l.msg === 'careless line') as { headers: { authorization: string }; config: Record<string, string> };
    expect(careless.headers.authorization).toBe('[REDACTED]');
    expect(careless.config).toEqual({ pluginToken: '[REDACTED]', webhookSecret: '[REDACTED]' });
    for (const line of h.rawLogs) {
      expect(line).not.toContain(PLUGIN_TOKEN);
      expect(line).not.toContain(h.fake.token);
      expect(line).not.toContain(WEBHOOK_SECRET);
    }
  });

  it('say why an answer came from the last good listing', async () => {
    h.fake.openPullRequest('acme/shop');
    expect(numbers(await h.getParams())).toEqual([1]);
    h.fake.faults.inject({ kind: 'rate-limit' });
    expect(numbers(await h.poll())).toEqual([1]);
    const warning = h.logs.find((l) => l.msg === 'GitHub failed: answering from the last good listing');
    expect(warning).toMatchObject({ level: 40, repository: 'acme/shop', lastGoodAgeSeconds: 1 });
    expect(String(warning?.cause)).toMatch(/^GitHub's rate limit is spent until/);
  });
});
