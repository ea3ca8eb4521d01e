/**
 * bench/startup: how fast `dynenv` starts and how much memory the idle plugin server holds, each next to a
 * baseline measured in the same run, because these machines are shared and noisy.
 *
 * - Start-up: `node -e 0` (the floor of any Node.js command) against `dynenv --help`, `dynenv --version`,
 *   `dynenv synth --help` and a cold `dynenv synth` of the bundled example into an empty folder; for
 *   comparison, `dynenv --help` run from the TypeScript sources through tsx (how 0.1.0 ran every command).
 *   Runs are interleaved, so that a burst of load elsewhere hits every command alike. Medians, and the ratio
 *   to the baseline.
 * - Idle memory: the resident set (VmRSS) of `dynenv serve` a moment after it is ready, against a bare Fastify
 *   process with one route (bench/startup/bare-fastify.js). Medians.
 *
 *   npm run bench:startup [-- --runs 9]
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { median, row } from '../support/stats.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/dynenv.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, settle: { type: 'string', default: '2000' } } });
const runs = Number(values.runs);
const settleMs = Number(values.settle);

interface Command {
  readonly name: string;
  readonly args: readonly string[];
  /** Runs in a fresh folder holding a copy of the example's dynenv.yaml. */
  readonly inExample?: boolean;
}

const commands: readonly Command[] = [
  { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
  { name: 'dynenv --version', args: [BIN, '--version'] },
  { name: 'dynenv --help', args: [BIN, '--help'] },
  { name: 'dynenv synth --help', args: [BIN, 'synth', '--help'] },
  { name: 'dynenv synth (example, cold)', args: [BIN, 'synth'], inExample: true },
  { name: 'dynenv --help through tsx (0.1.0)', args: [path.join(import.meta.dirname, 'from-sources.js'), '--help'] },
];

/** Milliseconds from spawn to exit of `node args` in `cwd`; throws when it fails. */
function timeProcess(args: readonly string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return ms;
}

async function startupTimes(): Promise<Map<string, number[]>> {
  const times = new Map(commands.map((command) => [command.name, [] as number[]]));
  for (let run = 0; run < runs; run++) {
    for (const command of commands) {
      const dir = await mkdtemp(path.join(tmpdir(), 'dynenv-bench-startup-'));
      try {
        if (command.inExample) await copyFile(path.join(ROOT, 'dynenv.yaml'), path.join(dir, 'dynenv.yaml'));
        times.get(command.name)!.push(timeProcess(command.args, dir));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  return times;
}

/** VmRSS in KiB of a process started with `args` and `env`, read `settleMs` after it printed `readyText`. */
async function idleRss(args: readonly string[], env: NodeJS.ProcessEnv, readyText: string): Promise<number> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`node ${args.join(' ')} exited (${code}) before it was ready`)));
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes(readyText)) resolve();
    });
  });
  await sleep(settleMs);
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  child.kill('SIGTERM');
  await once(child, 'exit');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
}

async function memory(): Promise<{ serve: number[]; bare: number[] }> {
  const serveEnv = {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: '0',
    PLUGIN_TOKEN: 'bench-token',
    GITHUB_TOKEN: 'bench-not-used',
    DYNENV_REPOS: 'acme/shop',
    DYNENV_LOG_LEVEL: 'info',
  };
  const serve: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < Math.max(3, Math.ceil(runs / 2)); run++) {
    serve.push(await idleRss([BIN, 'serve'], serveEnv, 'dynenv plugin server ready'));
    bare.push(await idleRss([path.join(import.meta.dirname, 'bare-fastify.js')], { PATH: process.env.PATH }, 'ready'));
  }
  return { serve, bare };
}

const times = await startupTimes();
const base = median(times.get(commands[0]!.name)!);
const widths = [36, 12, 12];
console.log(`bench/startup: medians of ${runs} interleaved runs (node ${process.version})`);
console.log(row(['command', 'median ms', 'x node -e 0'], widths));
for (const command of commands) {
  const ms = median(times.get(command.name)!);
  console.log(row([command.name, ms.toFixed(0), (ms / base).toFixed(2)], widths));
}

const { serve, bare } = await memory();
const serveMiB = median(serve) / 1024;
const bareMiB = median(bare) / 1024;
console.log('');
console.log(`idle RSS, ${settleMs} ms after ready, medians of ${serve.length} runs:`);
console.log(row(['process', 'RSS MiB', 'x bare Fastify'], widths));
console.log(row(['bare Fastify (one route)', bareMiB.toFixed(1), '1.00'], widths));
console.log(row(['dynenv serve', serveMiB.toFixed(1), (serveMiB / bareMiB).toFixed(2)], widths));
