/**
 * One server of the throughput benchmark, in a process of its own so that the load generator does not share its
 * event loop: `fake` (the fake GitHub with 300 pull requests), `plugin` (the plugin server against it), or `bare`
 * (a Fastify route answering fixed bytes). Prints `{"url": ...}` once listening; runs until killed.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { buildServer } from '../../plugin-server/app.ts';
import { systemClock } from '../../plugin-server/clock.ts';
import { createGitHubClient } from '../../plugin-server/github/client.ts';
import { GitHubPullRequestSource } from '../../plugin-server/github/pull-request-source.ts';
import { startFakeGitHub } from '../../test/fake-github/index.ts';
import { PLUGIN_TOKEN, REPOSITORY, seedPullRequests } from './fixture.ts';

const [role, argument, token] = process.argv.slice(2);

async function main(): Promise<string> {
  if (role === 'fake') {
    const fake = await startFakeGitHub();
    seedPullRequests(fake);
    return fake.url;
  }
  if (role === 'plugin') {
    const app = buildServer({
      config: { pluginToken: PLUGIN_TOKEN, basePath: '', webhookSecret: undefined, repositories: [REPOSITORY] },
      pullRequests: new GitHubPullRequestSource({
        octokit: createGitHubClient({ apiUrl: argument ?? '', credentials: { kind: 'token', token: token ?? '' } }),
        clock: systemClock,
      }),
      // Production logs two info lines per request; the benchmark measures the server, not stdout.
      logger: { level: 'warn' },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }
  if (role === 'bare') {
    const bytes = readFileSync(argument ?? '');
    const app = Fastify({ logger: false });
    app.post('/api/v1/getparams.execute', async (_request, reply) => {
      reply.header('content-type', 'application/json; charset=utf-8');
      return bytes;
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }
  throw new Error(`unknown role ${role}`);
}

process.stdout.write(`${JSON.stringify({ url: await main() })}\n`);
// Exit cleanly when the benchmark is done (a profiler attached with --cpu-prof then writes its profile).
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
