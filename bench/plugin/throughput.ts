/**
 * Warm-cache throughput and latency of getparams with 300 open pull requests, against a bare Fastify route that
 * answers the same bytes, measured in the same run, in alternating rounds, with autocannon. Each server runs in
 * its own process; the fake GitHub in a third, as GitHub would be remote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEFAULT_FAKE_TOKEN } from '../../test/fake-github/index.ts';
import { GETPARAMS_BODY, OPEN_PULL_REQUESTS, PLUGIN_TOKEN } from './fixture.ts';

export interface ThroughputOptions {
  /** Seconds per measured round. @default 5 */
  readonly seconds?: number;
  /** Rounds per server, alternating bare and plugin. @default 3 */
  readonly rounds?: number;
  /** Concurrent keep-alive connections. @default 10 */
  readonly connections?: number;
  /** Requests a second of the fixed-rate latency rounds (below both servers' capacity). @default 1000 */
  readonly rate?: number;
}

export interface Measurement {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface ThroughputResult {
  /** As fast as the servers go: throughput, and latency that includes queueing. */
  readonly bare: Measurement;
  readonly plugin: Measurement;
  /** At a fixed rate below capacity: latency without queueing. */
  readonly bareAtRate: Measurement;
  readonly pluginAtRate: Measurement;
  /** Median latency of a poll that finds the last check over a second old and waits for GitHub's 304s. */
  readonly revalidatingPollMs: number;
  readonly bodyBytes: number;
  readonly parameterSets: number;
}

const SERVER_PROCESS = fileURLToPath(new URL('./server-process.ts', import.meta.url));

function startServer(children: ChildProcess[], ...args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_PROCESS, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server ${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
}

async function load(url: string, seconds: number, connections: number, token: string, rate?: number): Promise<Measurement> {
  const result = await autocannon({
    ...(rate ? { overallRate: rate } : {}),
    url: `${url}/api/v1/getparams.execute`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': 'argocd-applicationset' },
    body: GETPARAMS_BODY,
    connections,
    duration: seconds,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export async function measureThroughput(options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const seconds = options.seconds ?? 5;
  const rounds = options.rounds ?? 3;
  const connections = options.connections ?? 10;
  const rate = options.rate ?? 1000;
  const children: ChildProcess[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'dynenv-bench-'));
  try {
    const fakeUrl = await startServer(children, 'fake');
    const pluginUrl = await startServer(children, 'plugin', fakeUrl, DEFAULT_FAKE_TOKEN);
    const answer = await fetch(`${pluginUrl}/api/v1/getparams.execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PLUGIN_TOKEN}` },
      body: GETPARAMS_BODY,
    });
    const bytes = Buffer.from(await answer.arrayBuffer());
    const parameterSets = (JSON.parse(bytes.toString()) as { output: { parameters: unknown[] } }).output.parameters.length;
    if (answer.status !== 200 || parameterSets !== OPEN_PULL_REQUESTS) {
      throw new Error(`the plugin answered ${answer.status} with ${parameterSets} sets`);
    }
    writeFileSync(join(scratch, 'answer.json'), bytes);
    const bareUrl = await startServer(children, 'bare', join(scratch, 'answer.json'));

    // Warm both (JIT, connection pools; the plugin's once-a-second revalidation path needs a few seconds to be
    // compiled), then alternate rounds so that drift on the machine hits both alike.
    for (const url of [bareUrl, pluginUrl]) {
      await load(url, 3, connections, PLUGIN_TOKEN);
      await load(url, 3, connections, PLUGIN_TOKEN, rate);
    }
    const bare: Measurement[] = [];
    const plugin: Measurement[] = [];
    const bareAtRate: Measurement[] = [];
    const pluginAtRate: Measurement[] = [];
    // Each round measures a warm server: a one-second burst first, because the plugin's last check has expired
    // while the other server was measured, and the polls of that first second wait for GitHub (measured apart,
    // below, as the revalidating poll).
    const measure = async (url: string, rateOfRound?: number) => {
      await load(url, 1, connections, PLUGIN_TOKEN, rateOfRound);
      return load(url, seconds, connections, PLUGIN_TOKEN, rateOfRound);
    };
    for (let round = 0; round < rounds; round++) {
      bare.push(await measure(bareUrl));
      plugin.push(await measure(pluginUrl));
      bareAtRate.push(await measure(bareUrl, rate));
      pluginAtRate.push(await measure(pluginUrl, rate));
    }
    // How Argo CD usually meets the server: polls seconds apart, each revalidating with GitHub (here on loopback).
    const revalidating: number[] = [];
    for (let poll = 0; poll < 7; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 1_050));
      const started = performance.now();
      const response = await fetch(`${pluginUrl}/api/v1/getparams.execute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${PLUGIN_TOKEN}` },
        body: GETPARAMS_BODY,
      });
      await response.arrayBuffer();
      revalidating.push(performance.now() - started);
    }
    const summarise = (ms: Measurement[]): Measurement => ({
      requestsPerSecond: median(ms.map((m) => m.requestsPerSecond)),
      p50Ms: median(ms.map((m) => m.p50Ms)),
      p99Ms: median(ms.map((m) => m.p99Ms)),
      errors: ms.reduce((sum, m) => sum + m.errors, 0),
    });
    return {
      bare: summarise(bare),
      plugin: summarise(plugin),
      bareAtRate: summarise(bareAtRate),
      pluginAtRate: summarise(pluginAtRate),
      revalidatingPollMs: median(revalidating),
      bodyBytes: bytes.length,
      parameterSets,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  }
}
