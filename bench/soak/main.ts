/**
 * `npm run bench:soak`: the plugin server, started as `dynenv serve` starts it, in a process of its own, against
 * the fake GitHub, for a while: simulated ApplicationSets poll it at a steady rate while pull requests churn
 * (webhooks delivered), GitHub fails now and then with each fault in turn, and misconfigured callers send their
 * mistakes. Prints requests served, errors by kind, wrong prunes and leaked previews as the simulated controllers
 * judged them, and the server's resident memory after warm-up and at the end: sampled every 10 s after a forced
 * collection, and compared as the median of the first minute's samples with the median of the last minute's,
 * since the resident size of a Node process swings by tens of MiB from one moment to the next.
 * Exits 1 when a preview was wrongly pruned or leaked, a mistake got other than its 4xx, the server logged an
 * error or a secret, died, or its memory grew by 10% or more.
 *
 *   --minutes N          how long (default 10)
 *   --rate N             getparams polls a second, all ApplicationSets together (default 40)
 *   --pulls N            open pull requests to keep around (default 300)
 *   --seed N             random seed of the churn (default 1)
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from '@octokit/webhooks-methods';
import { startFakeGitHub } from '../../test/fake-github/index.ts';
import { median } from '../support/stats.ts';
import { callLikeArgoCd } from '../../test/plugin-server/argo-client.ts';
import { SimulatedApplicationSetController, selectsOpenPullRequests } from '../../test/support/applicationset-controller.ts';
import { PreviewWorld } from '../../test/support/preview-world.ts';
import { faultCycle, randomEvent, seededRandom } from './churn.ts';
import { startPluginProcess } from './plugin-process.ts';
import { probes, sendProbe } from './probes.ts';

const { values } = parseArgs({
  options: { minutes: { type: 'string' }, rate: { type: 'string' }, pulls: { type: 'string' }, seed: { type: 'string' } },
});
const minutes = Number(values.minutes ?? 10);
const rate = Number(values.rate ?? 40);
const pulls = Number(values.pulls ?? 300);
const seed = Number(values.seed ?? 1);
for (const [name, value] of Object.entries({ minutes, rate, pulls, seed })) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: expected a positive number, got ${String(value)}`);
}

const REPOSITORY = 'acme/shop';
const PLUGIN_TOKEN = 'soak-plugin-token-5f1e0c2a9b';
const WEBHOOK_SECRET = 'soak-webhook-secret-8d3b7a61';
const GITHUB_TIMEOUT_SECONDS = 2;
// Shorter than a fault: each fault is answered from the last good listing first, then with 503s (previews kept).
const LAST_GOOD_MAX_AGE_SECONDS = 3;
const EVENT_INTERVAL_MS = 500;
const FAULT_EVERY_MS = 30_000;
const FAULT_LASTS_MS = 5_000;
const MEMORY_SAMPLE_MS = 10_000;
/** Samples per comparison window (a minute). */
const WINDOW = 6;
const durationMs = minutes * 60_000;
const warmUpMs = Math.min(60_000, Math.max(10_000, durationMs / 10));
const random = seededRandom(seed);

const fake = await startFakeGitHub({ rateLimit: 1_000_000_000 });
fake.createRepository(REPOSITORY);
for (let i = 0; i < pulls; i++) fake.openPullRequest(REPOSITORY, { labels: i % 3 === 0 ? ['preview'] : [], draft: i % 17 === 0 });
const plugin = await startPluginProcess({
  githubApiUrl: fake.url,
  githubToken: fake.token,
  pluginToken: PLUGIN_TOKEN,
  webhookSecret: WEBHOOK_SECRET,
  repository: REPOSITORY,
  githubTimeoutSeconds: GITHUB_TIMEOUT_SECONDS,
  lastGoodMaxAgeSeconds: LAST_GOOD_MAX_AGE_SECONDS,
});
let webhooks = 0;
const world = new PreviewWorld(fake, REPOSITORY, {
  now: () => Date.now(),
  // A listing in flight when a fault clears may still fail for the GitHub timeout; its failure answers polls for
  // the revalidation interval (1 s) after that.
  settleMs: (GITHUB_TIMEOUT_SECONDS + 2) * 1000,
  notify: async ({ action, repository, number }) => {
    const body = JSON.stringify({ action, number, repository: { full_name: repository }, pull_request: { number } });
    const response = await fetch(`${plugin.url}/api/v1/webhook/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, body) },
      body,
    });
    await response.text();
    webhooks += 1;
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  },
});

const applicationSets = [
  { name: 'all', parameters: {}, selects: selectsOpenPullRequests() },
  { name: 'labelled', parameters: { labels: 'preview' }, selects: selectsOpenPullRequests(['preview']) },
  { name: 'prefixed', parameters: { labels: ['preview'], namespacePrefix: 'shop' }, selects: selectsOpenPullRequests(['preview']) },
  { name: 'drafts too', parameters: { includeDrafts: true }, selects: selectsOpenPullRequests() },
];
const controllers = applicationSets.map(({ name, parameters, selects }) => {
  const oracle = name === 'drafts too' ? (pull: Parameters<typeof selects>[0]) => selects({ ...pull, draft: false }) : selects;
  return new SimulatedApplicationSetController(world, {
    name,
    selects: oracle,
    ask: () => callLikeArgoCd(plugin.url, PLUGIN_TOKEN, `previews-${name}`, parameters),
  });
});

const startedAt = Date.now();
const deadline = startedAt + durationMs;
const events: Record<string, number> = {};
const faults: Record<string, number> = {};
const probeResults: Record<string, number> = {};
const memory: Array<{ atSeconds: number; rss: number; heapUsed: number }> = [];
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function everyInterval(periodMs: number, work: () => Promise<void>): Promise<void> {
  for (let next = Date.now(); Date.now() < deadline;) {
    await work();
    next += periodMs;
    const wait = next - Date.now();
    if (wait > 0) await sleep(Math.min(wait, Math.max(0, deadline - Date.now())));
    else next = Date.now();
  }
}

async function sampleMemory(): Promise<void> {
  const { rss, heapUsed, collected } = await plugin.memory();
  if (!collected) throw new Error('the plugin process runs without --expose-gc');
  memory.push({ atSeconds: Math.round((Date.now() - startedAt) / 1000), rss, heapUsed });
  if (memory.length % WINDOW === 1) process.stdout.write(`  t=${memory.at(-1)!.atSeconds}s rss ${mib(rss)} MiB heap ${mib(heapUsed)} MiB\n`);
}

console.log(
  `soak: ${minutes} min, ${rate} polls/s over ${controllers.length} ApplicationSets, ${pulls} open pull requests, a PR event every ${EVENT_INTERVAL_MS} ms, ` +
    `a ${FAULT_LASTS_MS / 1000} s GitHub fault every ${FAULT_EVERY_MS / 1000} s (last good listing kept ${LAST_GOOD_MAX_AGE_SECONDS} s), seed ${seed}`,
);
const mistakes = probes(PLUGIN_TOKEN);
let probeIndex = 0;
const nextFault = faultCycle();
await Promise.all([
  ...controllers.map((controller) => everyInterval((controllers.length * 1000) / rate, async () => void (await controller.poll()))),
  everyInterval(EVENT_INTERVAL_MS, async () => {
    const kind = await randomEvent(world, random, pulls);
    events[kind] = (events[kind] ?? 0) + 1;
  }),
  everyInterval(1000, async () => {
    const probe = mistakes[probeIndex++ % mistakes.length]!;
    const result = await sendProbe(plugin.url, probe);
    const key = result === 'expected' ? `${probe.status} (${probe.name})` : `${result} (${probe.name})`;
    probeResults[key] = (probeResults[key] ?? 0) + 1;
  }),
  everyInterval(FAULT_EVERY_MS, async () => {
    await sleep(Math.min(FAULT_EVERY_MS - FAULT_LASTS_MS, Math.max(0, deadline - Date.now() - FAULT_LASTS_MS)));
    if (Date.now() + FAULT_LASTS_MS > deadline) return;
    const { name, fault, match } = nextFault();
    world.startFault(fault, match);
    faults[name] = (faults[name] ?? 0) + 1;
    await sleep(FAULT_LASTS_MS);
    world.clearFaults();
  }),
  (async () => {
    await sleep(warmUpMs);
    await everyInterval(MEMORY_SAMPLE_MS, sampleMemory);
  })(),
]);

// GitHub is healthy: once the settle time has passed, one poll each makes the Applications the truth.
world.clearFaults();
await sleep(world.settleMs);
for (const controller of controllers) await controller.poll();
const converged = controllers.every((controller, i) => {
  const truth = world
    .openPullRequests()
    .filter((pull) => applicationSets[i]!.selects(applicationSets[i]!.name === 'drafts too' ? { ...pull, draft: false } : pull));
  return truth.length === controller.applications.size && truth.every((pull) => controller.applications.has(pull.number));
});
await sampleMemory();
const served = await (await fetch(`${plugin.url}/metrics`)).text();
const exitedEarly = plugin.exitedEarly();
await plugin.stop();
await fake.close();

const sum = (pick: (tally: SimulatedApplicationSetController['tally']) => number) => controllers.reduce((total, c) => total + pick(c.tally), 0);
const errors: Record<string, number> = {};
for (const controller of controllers) for (const [kind, n] of Object.entries(controller.tally.errors)) errors[kind] = (errors[kind] ?? 0) + n;
const requestsServed = [...served.matchAll(/^dynenv_plugin_http_requests_total\{[^}]*\} (\d+)/gm)].reduce((total, match) => total + Number(match[1]), 0);
if (memory.length < 2 * WINDOW) throw new Error(`too short a soak to compare memory: ${memory.length} samples, ${2 * WINDOW} needed (run 3 minutes or more)`);
const window = (samples: typeof memory) => ({
  from: samples[0]!.atSeconds,
  to: samples.at(-1)!.atSeconds,
  rss: median(samples.map((sample) => sample.rss)),
  heapUsed: median(samples.map((sample) => sample.heapUsed)),
});
const first = window(memory.slice(0, WINDOW));
const last = window(memory.slice(-WINDOW));
const growth = (last.rss - first.rss) / first.rss;
const unexpectedProbes = Object.entries(probeResults).filter(([key]) => !/^\d{3} /.test(key));
const violations = controllers.flatMap((controller) => controller.tally.violations);

console.log(
  `\nrequests served by the plugin server: ${requestsServed} (getparams polls ${sum((t) => t.polls)}, mistakes ${Object.values(probeResults).reduce((a, b) => a + b, 0)}, webhooks ${webhooks})`,
);
console.log(`polls answered 200: ${sum((t) => t.applied)}; Applications created ${sum((t) => t.created)}, deleted ${sum((t) => t.deleted)}`);
console.log(`poll errors by kind: ${JSON.stringify(errors)}`);
console.log(`mistakes by answer: ${JSON.stringify(probeResults)}`);
console.log(`pull-request events: ${JSON.stringify(events)}`);
console.log(`GitHub faults injected: ${JSON.stringify(faults)}`);
console.log(
  `wrong prunes ${sum((t) => t.wrongPrunes)}, wrong creations ${sum((t) => t.wrongCreations)}, leaked previews ${sum((t) => t.leakedPreviews)}, missed previews ${sum((t) => t.missedPreviews)}; converged after the last poll: ${converged}`,
);
console.log(`server log lines by level: ${JSON.stringify(plugin.logLevels)}; lines carrying a secret: ${plugin.leakedSecretLines.length}`);
const rssRange = `${mib(Math.min(...memory.map((m) => m.rss)))}-${mib(Math.max(...memory.map((m) => m.rss)))} MiB`;
console.log(
  `resident memory (median of ${WINDOW} samples, after forced GC): ${mib(first.rss)} MiB at ${first.from}-${first.to} s, ` +
    `${mib(last.rss)} MiB at ${last.from}-${last.to} s: ${(growth * 100).toFixed(1)}% growth ` +
    `(all ${memory.length} samples ${rssRange}; heap used ${mib(first.heapUsed)} → ${mib(last.heapUsed)} MiB)`,
);
for (const line of [...violations.slice(0, 10), ...plugin.errorLines, ...plugin.leakedSecretLines.slice(0, 3)]) console.log(`  ${line}`);

const failures = [
  violations.length > 0 && `${violations.length} preview violations`,
  !converged && 'the Applications did not converge to the truth',
  unexpectedProbes.length > 0 && `mistakes answered wrongly: ${JSON.stringify(Object.fromEntries(unexpectedProbes))}`,
  (plugin.logLevels.error ?? 0) + (plugin.logLevels.fatal ?? 0) + (plugin.logLevels.unparsed ?? 0) > 0 && 'the server logged errors',
  plugin.leakedSecretLines.length > 0 && 'the server logged a secret',
  exitedEarly !== undefined && `the server exited (${String(exitedEarly)})`,
  growth >= 0.1 && 'resident memory grew by 10% or more',
].filter(Boolean);
console.log(failures.length === 0 ? '\nsoak passed' : `\nsoak FAILED: ${failures.join('; ')}`);
process.exit(failures.length === 0 ? 0 : 1);
