/**
 * `npm run bench:webhook`: the plugin server's memory while 40 senders post webhook bodies at once, none of them
 * holding the webhook secret (issue 10, finding 5: 40 such bodies took the server from 107 to 429 MB before).
 * Each round starts a fresh server process, measures its resident memory idle (the baseline, in the same run),
 * then its peak (VmHWM, Linux) while the 40 bodies arrive, and reports medians of the rounds.
 *   --rounds N    rounds per case (default 5)
 *   --senders N   concurrent senders (default 40)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, row } from '../support/stats.ts';

const MiB = 1024 * 1024;
const { values } = parseArgs({ options: { rounds: { type: 'string' }, senders: { type: 'string' } } });
const rounds = Number(values.rounds ?? 5);
const SENDERS = Number(values.senders ?? 40);

interface Case {
  readonly name: string;
  readonly mode: 'limited' | 'unbounded';
  /** X-Hub-Signature-256, or none (unsigned). */
  readonly signature: string | undefined;
  readonly bodyBytes: number;
}

const FORGED = `sha256=${'0'.repeat(64)}`;
const cases: Case[] = [
  { name: 'unsigned 5 MiB bodies', mode: 'limited', signature: undefined, bodyBytes: 5 * MiB },
  { name: 'forged-signature 1 MiB bodies', mode: 'limited', signature: FORGED, bodyBytes: MiB },
  { name: 'forged-signature 5 MiB bodies', mode: 'limited', signature: FORGED, bodyBytes: 5 * MiB },
  { name: 'same, without the limits (before)', mode: 'unbounded', signature: FORGED, bodyBytes: 5 * MiB },
];

/** Resident memory of `pid` in MB: now (VmRSS) and the peak since the process started (VmHWM). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

async function startServer(mode: Case['mode']) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'server-process.ts'), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString('utf8')) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url };
}

/** Posts `bytes` bytes as one webhook delivery; resolves with the status, or 0 when the server closed first. */
function post(url: string, signature: string | undefined, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const body = Buffer.alloc(bytes, 0x20);
    const req = request(`${url}/api/v1/webhook/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': bytes,
        'x-github-event': 'pull_request',
        ...(signature !== undefined && { 'x-hub-signature-256': signature }),
      },
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function round(benchCase: Case): Promise<{ idle: number; peak: number; statuses: string }> {
  const { child, url } = await startServer(benchCase.mode);
  try {
    // Warm the route once so that the baseline includes what any first request loads.
    await post(url, FORGED, 1024);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const idle = memory(child.pid!).rss;
    const statuses = await Promise.all(Array.from({ length: SENDERS }, () => post(url, benchCase.signature, benchCase.bodyBytes)));
    const counts = new Map<number, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
    return { idle, peak: memory(child.pid!).peak, statuses: [...counts].map(([status, n]) => `${n}×${status || 'closed'}`).join(' ') };
  } finally {
    child.kill('SIGTERM');
  }
}

console.log(`webhook memory, ${SENDERS} concurrent senders without the secret, medians of ${rounds} rounds (fresh server each):`);
const widths = [36, 12, 12, 12, 24];
console.log(row(['case', 'idle MB', 'peak MB', 'growth MB', 'answers (last round)'], widths));
for (const benchCase of cases) {
  const results = [];
  for (let index = 0; index < rounds; index++) results.push(await round(benchCase));
  const idle = median(results.map((result) => result.idle));
  const peak = median(results.map((result) => result.peak));
  console.log(row([benchCase.name, idle.toFixed(0), peak.toFixed(0), (peak - idle).toFixed(0), results.at(-1)!.statuses], widths));
}
