/**
 * The plugin server of the webhook memory benchmark, in a process of its own so that its memory is measured
 * alone. `limited` runs the webhook with its limits; `unbounded` with a 5 MiB body limit and no bound on how many
 * bodies are read at once (what the route did before issue 10), for comparison. Prints `{"url": ...}` once
 * listening; runs until killed.
 */
import type { AddressInfo } from 'node:net';
import { buildServer } from '../../plugin-server/app.ts';
import { BENCH_WEBHOOK_SECRET } from './fixture.ts';

const mode = process.argv[2];
const app = buildServer({
  config: { pluginToken: 'bench-plugin-token', basePath: '', webhookSecret: BENCH_WEBHOOK_SECRET, repositories: ['acme/shop'] },
  // The webhook only invalidates; no listing is made in this benchmark.
  pullRequests: { listOpenPullRequests: () => Promise.reject(new Error('not used')), invalidate: () => undefined },
  logger: { level: 'warn' },
  ...(mode === 'unbounded' && { webhookLimits: { maxBodyBytes: 5 * 1024 * 1024, maxConcurrentBodies: Number.MAX_SAFE_INTEGER } }),
});
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` })}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
