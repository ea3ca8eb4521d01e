/**
 * The sync simulation on every tree dynenv synthesizes for the configurations at hand, rendered by the real
 * Kustomize: every overlay (and so every Application source) syncs in an order that works. Without the
 * configuration wave (issue 15, item 1) the migration hooks of each overlay are reported here.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateConfig } from '../../../bench/synth/generate-config.ts';
import { parseConfig } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/schema.ts';
import { synthesizeTree } from '../../../src/gitops/tree.ts';
import { clusterFacts } from '../../../src/validate/cluster-facts.ts';
import { externalObjects } from '../../../src/validate/external-objects.ts';
import { PLUGIN_PARAMETER_KEYS } from '../../../src/validate/plugin-parameters.ts';
import { renderTree } from '../../../src/validate/render.ts';
import { syncDeadlineRule, syncRerunRule } from '../../../src/validate/rules/sync-hooks.ts';
import { syncOrderRule } from '../../../src/validate/rules/sync-order.ts';
import { exampleConfig } from '../../support/example.ts';
import { tempDir } from '../../support/workspace.ts';
import { line } from '../fixtures.ts';

/** Synthesizes `config` into a fresh folder and renders it as `dynenv validate` does (for 100 services, Kustomize takes a while). */
async function rendered(config: Config) {
  const dir = await tempDir();
  for (const [file, text] of synthesizeTree(config)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return renderTree(dir);
}

const CONFIGURATIONS: ReadonlyArray<{ name: string; config: () => Promise<Config> | Config; seeded: readonly string[] }> = [
  { name: 'the bundled example (dynenv.yaml)', config: exampleConfig, seeded: ['api'] },
  {
    name: 'the 100-service benchmark configuration',
    config: () => parseConfig(generateConfig(100)),
    seeded: Array.from({ length: 10 }, (_, index) => `svc-${String(index * 10).padStart(3, '0')}`),
  },
];

describe('the sync of every synthesized overlay', () => {
  it.each(CONFIGURATIONS)('$name: no hook or awaited resource waits for what comes later', { timeout: 900_000 }, async ({ config: load, seeded }) => {
    const config = await load();
    const tree = await rendered(config);
    expect(tree.findings).toEqual([]);
    const context = { external: externalObjects(config), pluginParameterKeys: PLUGIN_PARAMETER_KEYS, cluster: clusterFacts(config) };
    const migrations = tree.scopes.flatMap((scope) => scope.objects.filter((object) => object.kind === 'Job').map((object) => `${scope.name} ${object.metadata.name}`));
    // The simulation had hooks to play in every environment.
    expect(migrations).toEqual(expect.arrayContaining(['dev api-migrate', 'prod api-migrate', 'preview api-migrate'].map((entry) => entry.replace('api', seeded[0]!))));
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
    // Until the seed runs once (a plain Job), a preview's migrate-and-seed hook writes seed data on every full sync.
    expect((await syncRerunRule.check(tree, context)).map((item) => `${item.scope} ${item.kind}/${item.name}`)).toEqual(
      seeded.map((service) => `preview Job/${service}-migrate`),
    );
  });
});
