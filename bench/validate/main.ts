/**
 * bench/validate: how long `dynenv validate` takes on the tree of the bundled example and on the tree of the
 * 100-service configuration of bench/synth (bench/synth/generate-config.ts), each synthesized into a temporary folder first.
 *
 * For each tree it reports, as medians of several runs:
 * - the cold command (`dynenv validate`, a new process, as CI runs it);
 * - `validateTree()` in a warm process (rendering and every rule, without Node.js starting), and of
 *   that the checks alone (schemas and rules over the rendered tree);
 * - the baseline measured in the same run: bare `kubectl kustomize` of the same folders, run concurrently as
 *   validate runs them. Rendering is the floor of any validation; the ratio says what the checks add.
 *
 *   npm run bench:validate [-- --runs 7]
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadConfig } from '../../src/config/load.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { externalObjects } from '../../src/validate/external-objects.ts';
import { PLUGIN_PARAMETER_KEYS } from '../../contract/plugin-parameters.ts';
import { renderTree } from '../../src/validate/render.ts';
import { UNKNOWN_CLUSTER } from '../../src/validate/cluster-facts.ts';
import { RULES } from '../../src/validate/rules/index.ts';
import { validateTree } from '../../src/validate/validate-tree.ts';
import { median, row } from '../support/stats.ts';
import { generateConfig } from '../synth/generate-config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/dynenv.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const run = promisify(execFile);

/** A temporary folder with `dynenv.yaml` and the gitops/ tree it synthesizes. */
async function synthesizedWorkspace(writeConfig: (file: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dynenv-bench-validate-'));
  await writeConfig(path.join(dir, 'dynenv.yaml'));
  await synthesize({ configFile: path.join(dir, 'dynenv.yaml'), outDir: path.join(dir, 'gitops') });
  return dir;
}

/** The folders validate renders: every overlay, and argocd/ when there is one. */
async function renderedFolders(gitops: string): Promise<string[]> {
  const overlays = (await readdir(path.join(gitops, 'overlays'))).map((name) => path.join(gitops, 'overlays', name));
  const argocd = (await readdir(gitops)).includes('argocd') ? [path.join(gitops, 'argocd')] : [];
  return [...overlays, ...argocd];
}

async function milliseconds(action: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function scenario(name: string, dir: string) {
  const gitops = path.join(dir, 'gitops');
  const folders = await renderedFolders(gitops);
  const cold: number[] = [];
  const warm: number[] = [];
  const checks: number[] = [];
  const baseline: number[] = [];
  const rendered = await renderTree(gitops);
  const external = externalObjects(await loadConfig(path.join(dir, 'dynenv.yaml')));
  const context = { external, pluginParameterKeys: PLUGIN_PARAMETER_KEYS, cluster: UNKNOWN_CLUSTER };
  let report = await validateTree({ directory: gitops, external });
  for (let index = 0; index < runs; index++) {
    const renderAll = () => Promise.all(folders.map((folder) => run('kubectl', ['kustomize', folder], { maxBuffer: 256 * 1024 * 1024 })));
    baseline.push(await milliseconds(renderAll));
    warm.push(await milliseconds(async () => (report = await validateTree({ directory: gitops, external }))));
    checks.push(
      await milliseconds(async () => {
        for (const rule of RULES) await rule.check(rendered, context);
      }),
    );
    cold.push(
      await milliseconds(() => {
        // Exit 1 means findings (the tree may not pass every rule yet); anything else is a broken run.
        const result = spawnSync(process.execPath, [BIN, 'validate', '--out', gitops], { cwd: dir, encoding: 'utf8' });
        if (result.status !== 0 && result.status !== 1) throw new Error(`dynenv validate failed (${result.status}): ${result.stderr}`);
      }),
    );
  }
  const objects = report.scopes.reduce((sum, scope) => sum + scope.objects, 0);
  return {
    name,
    objects,
    findings: report.findings.length,
    cold: median(cold),
    warm: median(warm),
    checks: median(checks),
    baseline: median(baseline),
  };
}

const example = await synthesizedWorkspace((file) => copyFile(path.join(ROOT, 'dynenv.yaml'), file));
const large = await synthesizedWorkspace((file) => writeFile(file, generateConfig(100)));
try {
  const results = [await scenario('example (3 services)', example), await scenario('generated (100 services)', large)];
  const widths = [26, 9, 10, 13, 17, 11, 21, 11];
  console.log(`bench/validate: medians of ${runs} runs; baseline = bare \`kubectl kustomize\` of the same folders, concurrently`);
  const headings = ['scenario', 'objects', 'findings', 'cold CLI ms', 'validateTree ms', 'checks ms', 'kubectl baseline ms', 'x baseline'];
  console.log(row(headings, widths));
  for (const result of results) {
    console.log(
      row(
        [
          result.name,
          result.objects,
          result.findings,
          result.cold.toFixed(0),
          result.warm.toFixed(0),
          result.checks.toFixed(0),
          result.baseline.toFixed(0),
          (result.warm / result.baseline).toFixed(2),
        ],
        widths,
      ),
    );
  }
  console.log('"checks" = schemas and rules over the rendered tree; "x baseline" = validateTree / kubectl baseline');
} finally {
  await Promise.all([example, large].map((dir) => rm(dir, { recursive: true, force: true })));
}
