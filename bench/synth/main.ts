/**
 * bench/synth: how long a cold `dynenv synth` takes, and how much memory, for the bundled example, for a
 * generated configuration of 100 services in the short forms, and for the same 100 services using the workload
 * model (ports, probes, StatefulSets, CronJobs, volumes, init containers, patches, contracts); and how long a
 * no-op re-run takes.
 *
 * Every figure is the median of several runs, next to a baseline measured in the same run (a bare Node.js
 * start, the floor of any CLI run), because these machines are shared and noisy.
 *
 *   npm run bench:synth [-- --runs 7]
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, row } from '../support/stats.ts';
import { generateConfig } from './generate-config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

interface Run {
  readonly ms: number;
  readonly maxRssKiB: number;
}

/** Spawns `node args` (a cold process, as `npx dynenv` is) and measures it. */
function timeProcess(args: string[], cwd: string): Run {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  const last = result.stderr.trim().split('\n').at(-1) ?? '{}';
  return { ms, maxRssKiB: (JSON.parse(last) as { maxRssKiB?: number }).maxRssKiB ?? Number.NaN };
}

const measureCli = path.join(ROOT, 'bench/synth/measure-cli.js');
const baselineScript = path.join(ROOT, 'bench/synth/baseline.js');

async function workspace(config: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dynenv-bench-'));
  await writeFile(path.join(dir, 'dynenv.yaml'), config);
  return dir;
}

async function scenario(name: string, makeWorkspace: () => Promise<string>) {
  const cold: Run[] = [];
  const noop: Run[] = [];
  for (let run = 0; run < runs; run++) {
    const dir = await makeWorkspace();
    try {
      cold.push(timeProcess([measureCli, 'synth'], dir));
      noop.push(timeProcess([measureCli, 'synth'], dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { name, cold, noop };
}

const baseline: Run[] = [];
for (let run = 0; run < runs; run++) baseline.push(timeProcess([baselineScript], ROOT));

const example = await scenario('example (3 services)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dynenv-bench-'));
  await copyFile(path.join(ROOT, 'dynenv.yaml'), path.join(dir, 'dynenv.yaml'));
  return dir;
});
const large = await scenario('generated (100 services)', () => workspace(generateConfig(100)));
const model = await scenario('workload model (100 services)', () => workspace(generateConfig(100, { workloadModel: true })));

const base = median(baseline.map((run) => run.ms));
const widths = [32, 16, 16, 18, 16];
console.log(`bench/synth: medians of ${runs} runs; baseline = bare node start ${base.toFixed(0)} ms`);
console.log(row(['scenario', 'cold synth ms', 'x baseline', 'peak RSS MiB', 'no-op re-run ms'], widths));
for (const { name, cold, noop } of [example, large, model]) {
  const coldMs = median(cold.map((run) => run.ms));
  console.log(
    row(
      [
        name,
        coldMs.toFixed(0),
        (coldMs / base).toFixed(2),
        (median(cold.map((run) => run.maxRssKiB)) / 1024).toFixed(0),
        median(noop.map((run) => run.ms)).toFixed(0),
      ],
      widths,
    ),
  );
}
console.log('targets: example cold < 3000 ms, 100 services cold < 10000 ms');
