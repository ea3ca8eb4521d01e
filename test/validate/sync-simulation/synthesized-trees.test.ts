/**
 * The sync simulation on every tree dynenv synthesizes for the configurations at hand, rendered by the real
 * Kustomize: the bundled example (also with a smoke test), the 100-service benchmark configuration and every real
 * application under examples/. Every overlay (and so every Application source) syncs in an order that works.
 * Without the configuration wave (issue 15, item 1) the migration hooks of each overlay are reported here.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateConfig } from '../../../bench/synth/generate-config.ts';
import { loadConfig, parseConfig } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/schema.ts';
import { clusterFacts } from '../../../src/validate/cluster-facts.ts';
import { externalObjects } from '../../../src/validate/external-objects.ts';
import { PLUGIN_PARAMETER_KEYS } from '../../../contract/plugin-parameters.ts';
import { renderTree } from '../../../src/validate/render.ts';
import { runOnceJobsRule } from '../../../src/validate/rules/run-once-jobs.ts';
import { syncDeadlineRule, syncRerunRule } from '../../../src/validate/rules/sync-hooks.ts';
import { syncOrderRule } from '../../../src/validate/rules/sync-order.ts';
import { configWith, exampleConfig, writeTree } from '../../support/example.ts';
import { REPO_ROOT, tempDir } from '../../support/workspace.ts';
import { line } from '../fixtures.ts';

/** Synthesizes `config` into a fresh folder and renders it as `dynenv validate` does. */
async function rendered(config: Config) {
  const dir = await tempDir();
  await writeTree(config, dir);
  return renderTree(dir);
}

/** The real applications under examples/ (each folder with a dynenv.yaml), whichever are in the repository. */
function exampleApplications(): Array<{ name: string; config: () => Promise<Config> }> {
  const examples = path.join(REPO_ROOT, 'examples');
  if (!existsSync(examples)) return [];
  return readdirSync(examples)
    .filter((name) => existsSync(path.join(examples, name, 'dynenv.yaml')))
    .sort()
    .map((name) => ({ name: `examples/${name}`, config: () => loadConfig(path.join(examples, name, 'dynenv.yaml')) }));
}

const CONFIGURATIONS: ReadonlyArray<{ name: string; config: () => Promise<Config> | Config }> = [
  { name: 'the bundled example (dynenv.yaml)', config: exampleConfig },
  {
    name: 'the bundled example with a smoke test (a PostSync hook)',
    config: () =>
      configWith((data) => {
        data.preview.smokeTest = { image: 'ghcr.io/example-org/checkout-smoke:1.4.0', command: ['npm', 'run', 'smoke'] };
      }),
  },
  // Two of each kind of service the generator makes (its pattern repeats every ten): what one service's hooks could
  // wait for in another's is there; a hundred services add only Kustomize time (bench/validate measures that).
  { name: 'the benchmark configuration, 20 services', config: () => parseConfig(generateConfig(20)) },
  ...exampleApplications(),
];

describe('the sync of every synthesized overlay', () => {
  it.each(CONFIGURATIONS)('$name: no hook or awaited resource waits for what comes later', { timeout: 900_000 }, async ({ config: load }) => {
    const config = await load();
    const tree = await rendered(config);
    expect(tree.findings).toEqual([]);
    const context = { external: externalObjects(config), pluginParameterKeys: PLUGIN_PARAMETER_KEYS, cluster: clusterFacts(config) };
    const jobs = (scope: string, hook: boolean) =>
      tree.scopes
        .find((candidate) => candidate.name === scope)!
        .objects.filter((object) => object.kind === 'Job' && (object.metadata.annotations?.['argocd.argoproj.io/hook'] !== undefined) === hook)
        .map((job) => job.metadata.name);
    // The simulation had the migration hooks to play in every environment.
    const migrated = config.services.filter((service) => service.migrate !== undefined).map((service) => `${service.name}-migrate`);
    for (const scope of ['dev', 'prod', 'preview']) expect(jobs(scope, true)).toEqual(expect.arrayContaining(migrated));
    const order = await syncOrderRule.check(tree, context);
    expect(order.filter((item) => item.severity === 'error').map(line)).toEqual([]);
    // A preview's workloads wait only for what its fence, another Application, creates: its namespace and the
    // database Secrets its credentials Job makes. Said as warnings, nothing else.
    for (const item of order) {
      expect(`${item.scope} ${item.severity}`, line(item)).toBe('preview warning');
      expect(item.message, line(item)).toMatch(/overlays\/preview-fence( creates)?, another Application that syncs on its own/);
    }
    expect(order.filter((item) => item.kind === 'Namespace')).toHaveLength(1);
    expect((await syncDeadlineRule.check(tree, context)).map(line)).toEqual([]);
    // Every hook may run again; the seed data, written once by plain Jobs, is not written again by later syncs.
    expect((await syncRerunRule.check(tree, context)).map(line)).toEqual([]);
    expect((await runOnceJobsRule.check(tree, context)).map(line)).toEqual([]);
    const seeded = config.services.filter((service) => service.seed !== undefined).map((service) => `${service.name}-seed`);
    expect(jobs('preview', false)).toEqual(expect.arrayContaining(seeded));
  });
});
