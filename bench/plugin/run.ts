/**
 * `npm run bench:plugin`: the plugin server's benchmark figures (not part of the test suite).
 *   --seconds N      seconds per throughput round (default 5)
 *   --rounds N       rounds per server, alternating (default 3)
 *   --connections N  concurrent connections (default 10)
 *   --rate N         requests a second of the fixed-rate rounds (default 1000)
 */
import { parseArgs } from 'node:util';
import { OPEN_PULL_REQUESTS } from './fixture.ts';
import { simulatePollingHour } from './polling-hour.ts';
import { measureThroughput } from './throughput.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, rate: { type: 'string' } },
});
const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

const hour = await simulatePollingHour();
const ratio = hour.builtinCountedCalls / Math.max(hour.countedCalls, 1);
console.log(
  `simulated hour: ${OPEN_PULL_REQUESTS} open PRs, 10 ApplicationSets every 30 s, ${hour.events} PR events (webhook + refresh of every ApplicationSet)`,
);
console.log(`  polls                     ${hour.scheduledPolls} scheduled + ${hour.webhookRefreshPolls} after webhooks`);
console.log(`  counted GitHub calls      ${hour.countedCalls} (plus ${hour.notModifiedCalls} free 304s)`);
console.log(`  built-in generator        ${hour.builtinCountedCalls} counted calls (ceil(PRs/100) per poll)`);
console.log(`  fewer counted calls       ${ratio.toFixed(0)}x  (target >= 50x)`);
console.log(`  answers wrong for GitHub's state at that moment: ${hour.wrongAnswers}`);

const t = await measureThroughput({
  seconds: number(values.seconds, 5),
  rounds: number(values.rounds, 3),
  connections: number(values.connections, 10),
  rate: number(values.rate, 1000),
});
const share = t.plugin.requestsPerSecond / t.bare.requestsPerSecond;
const line = (name: string, m: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number }) =>
  console.log(`  ${name.padEnd(15)} ${m.requestsPerSecond.toFixed(0).padStart(5)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  errors ${m.errors}`);
console.log(`warm getparams, ${t.parameterSets} parameter sets (${(t.bodyBytes / 1024).toFixed(0)} KiB), medians of the rounds:`);
console.log('  as fast as they go (latency includes queueing):');
line('bare route', t.bare);
line('plugin server', t.plugin);
console.log(`  plugin / bare   ${(share * 100).toFixed(0)}% of the throughput  (target >= 50%)`);
console.log(`  at a fixed ${number(values.rate, 1000)} req/s (p99 target < 10 ms):`);
line('bare route', t.bareAtRate);
line('plugin server', t.pluginAtRate);
console.log(`  a poll that revalidates with GitHub (loopback fake, 304s): median ${t.revalidatingPollMs.toFixed(1)} ms`);
