/**
 * The sync simulation on every tree dynenv synthesizes for the configurations at hand, rendered by the real
 * Kustomize: the bundled example (also with a smoke test), the benchmark's two 100-service configurations, every
 * real application under examples/, and the Elasticsearch cluster imported with `dynenv init --from`. Every overlay
 * played (and so every Application source) syncs in an order that works. Without the configuration wave (issue 15,
 * item 1) the migration hooks of each overlay are reported here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateConfig } from '../../../bench/synth/generate-config.ts';
import { loadConfig, parseConfig } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/schema.ts';
import { clusterFacts } from '../../../src/validate/cluster-facts.ts';
import { externalObjects } from '../../../src/validate/external-objects.ts';
import { PLUGIN_PARAMETER_KEYS } from '../../../contract/plugin-parameters.ts';
import { ARGOCD_SCOPE, renderTree } from '../../../src/validate/render.ts';
import { runOnceJobsRule } from '../../../src/validate/rules/run-once-jobs.ts';
import { syncDeadlineRule, syncRerunRule } from '../../../src/validate/rules/sync-hooks.ts';
import { syncOrderRule } from '../../../src/validate/rules/sync-order.ts';
import { configWith, exampleConfig, writeTree } from '../../support/example.ts';
import { importApplication } from '../../support/imported-application.ts';
import { REPO_ROOT, tempDir } from '../../support/workspace.ts';
import { line } from '../fixtures.ts';

/** A configuration synthesized into a folder, ready to render: the configuration, and its GitOps tree. */
interface Synthesized {
  readonly config: Config;
  readonly gitops: string;
}

/**
 * Synthesizes `config` into a fresh folder, as `dynenv synth` does; with `overlays`, only those of its overlays
 * (and argocd/), so that only they are rendered.
 */
async function synthesized(config: Config, overlays?: readonly string[]): Promise<Synthesized> {
  const gitops = await tempDir();
  await writeTree(config, gitops, (file) => {
    const [folder, overlay] = file.split('/');
    return overlays === undefined || folder !== 'overlays' || overlays.includes(overlay!);
  });
  return { config, gitops };
}

/** The real applications under examples/ (each folder with a dynenv.yaml), whichever are in the repository. */
function exampleApplications(): Configuration[] {
  const examples = path.join(REPO_ROOT, 'examples');
  if (!existsSync(examples)) return [];
  return readdirSync(examples)
    .filter((name) => existsSync(path.join(examples, name, 'dynenv.yaml')))
    .sort()
    .map((name) => ({ name: `examples/${name}`, synthesize: async () => synthesized(await loadConfig(path.join(examples, name, 'dynenv.yaml'))) }));
}

/** The Elasticsearch cluster of test/fixtures/ imported as its fidelity test imports it, and synthesized. */
async function importedElasticsearch(): Promise<Synthesized> {
  const dir = await tempDir('dynenv-elasticsearch-');
  await cp(path.join(REPO_ROOT, 'test/fixtures/kubernetes-elasticsearch-cluster'), path.join(dir, 'upstream'), { recursive: true });
  const { configFile, gitops } = await importApplication(dir, ['upstream'], 'elasticsearch', 'https://github.com/example-org/elasticsearch.git');
  return { config: await loadConfig(configFile), gitops };
}

interface Configuration {
  readonly name: string;
  readonly synthesize: () => Promise<Synthesized>;
}

/**
 * The overlays played for the benchmark's configurations. At 100 services Kustomize takes nearly all their time
 * (7 to 16 s of CPU for each of dev, staging and prod, which apply an image and a patch per service to every
 * object), and the three sync alike: staging has prod's objects, waves and hooks, dev prod's without the
 * PodDisruptionBudgets, which nothing waits for. So each plays one of them, and the preview with its fence.
 */
const BENCHMARK_OVERLAYS = {
  // Production: the pinned images and a PodDisruptionBudget per service.
  shortForms: ['prod', 'preview', 'preview-fence'],
  // The workload model's dev is the one environment unlike the others: a storage class for its claims, and a
  // CronJob switched off.
  workloadModel: ['dev', 'preview', 'preview-fence'],
} as const;

const CONFIGURATIONS: readonly Configuration[] = [
  { name: 'the bundled example (dynenv.yaml)', synthesize: async () => synthesized(await exampleConfig()) },
  {
    name: 'the bundled example with a smoke test (a PostSync hook)',
    synthesize: () =>
      synthesized(
        configWith((data) => {
          data.preview.smokeTest = { image: 'ghcr.io/example-org/checkout-smoke:1.4.0', command: ['npm', 'run', 'smoke'] };
        }),
      ),
  },
  {
    name: 'the benchmark configuration (100 services)',
    synthesize: () => synthesized(parseConfig(generateConfig(100)), BENCHMARK_OVERLAYS.shortForms),
  },
  {
    name: "the benchmark's workload-model configuration (100 services: StatefulSets, CronJobs)",
    synthesize: () => synthesized(parseConfig(generateConfig(100, { workloadModel: true })), BENCHMARK_OVERLAYS.workloadModel),
  },
  ...exampleApplications(),
  { name: 'the Elasticsearch cluster imported with dynenv init --from', synthesize: importedElasticsearch },
];

describe('the sync of every synthesized overlay', () => {
  it.each(CONFIGURATIONS)('$name: no hook or awaited resource waits for what comes later', { timeout: 900_000 }, async ({ synthesize }) => {
    const { config, gitops } = await synthesize();
    const tree = await renderTree(gitops);
    expect(tree.findings).toEqual([]);
    const environments = tree.scopes.filter((scope) => scope.environment);
    // The preview and its fence, and at least one other environment, were played.
    expect(environments.map((scope) => scope.name)).toEqual(expect.arrayContaining(['preview', 'preview-fence']));
    expect(environments.length).toBeGreaterThan(2);
    expect(tree.scopes.map((scope) => scope.name)).toContain(ARGOCD_SCOPE);
    const context = { external: externalObjects(config), pluginParameterKeys: PLUGIN_PARAMETER_KEYS, cluster: clusterFacts(config) };
    const jobs = (scope: string, hook: boolean) =>
      tree.scopes
        .find((candidate) => candidate.name === scope)!
        .objects.filter((object) => object.kind === 'Job' && (object.metadata.annotations?.['argocd.argoproj.io/hook'] !== undefined) === hook)
        .map((job) => job.metadata.name);
    // The simulation had the migration hooks to play in every environment.
    const migrated = config.services.filter((service) => service.migrate !== undefined).map((service) => `${service.name}-migrate`);
    for (const scope of environments.filter((candidate) => candidate.name !== 'preview-fence')) {
      expect(jobs(scope.name, true)).toEqual(expect.arrayContaining(migrated));
    }
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
