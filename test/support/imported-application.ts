/**
 * An application imported as a user would: `dynenv init --from` in a folder, then synthesized, validated, and each
 * environment rendered with the real Kustomize, a pull request's preview as Argo CD renders its workloads
 * Application. For the fidelity tests of test/import/.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { externalObjects } from '../../src/validate/external-objects.ts';
import { unpinnedImages } from '../../src/validate/unpinned-images.ts';
import { podSecurityLevels } from '../../src/validate/pod-security-levels.ts';
import { environmentContracts } from '../../src/validate/service-contracts.ts';
import { validateTree, type ValidationReport } from '../../src/validate/validate-tree.ts';
import { applicationsOf, renderApplication } from './argocd-render.ts';
import { dynenv } from './cli.ts';

export interface ImportedApplication {
  /** What `dynenv init` printed. */
  readonly initOutput: string;
  /** The dynenv.yaml it wrote, as text. */
  readonly configText: string;
  readonly report: ValidationReport;
  /** Objects of dev, staging, prod, and `preview` (the pull request's workloads). */
  readonly rendered: ReadonlyMap<string, KubernetesObject[]>;
}

/** An application imported and synthesized, not yet validated or rendered. */
export interface SynthesizedImport {
  /** What `dynenv init` printed. */
  readonly initOutput: string;
  /** The dynenv.yaml it wrote. */
  readonly configFile: string;
  /** The GitOps tree synthesized from it (`dir`/gitops). */
  readonly gitops: string;
}

/**
 * Imports `from` (paths relative to `dir`) as application `app` hosted at `repository` with `dynenv init --from`,
 * and synthesizes the result: for a test that renders the tree its own way (importAndRender below renders all).
 */
export async function importApplication(dir: string, from: readonly string[], app: string, repository: string): Promise<SynthesizedImport> {
  const init = await dynenv(dir, ['init', '--from', ...from, '--app', app, '--repository', repository]);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  const configFile = path.join(dir, 'dynenv.yaml');
  const gitops = path.join(dir, 'gitops');
  await synthesize({ configFile, outDir: gitops });
  return { initOutput: init.stdout, configFile, gitops };
}

/** Imports `from` (paths relative to `dir`) as application `app` hosted at `repository`, and renders the result. */
export async function importAndRender(
  dir: string,
  from: readonly string[],
  app: string,
  repository: string,
  pullRequest: Record<string, unknown>,
): Promise<ImportedApplication> {
  const { initOutput, configFile, gitops } = await importApplication(dir, from, app, repository);
  const configText = await readFile(configFile, 'utf8');
  const config = await loadConfig(configFile);
  // As `dynenv validate` runs with the configuration: what it says about the cluster and each environment's level.
  const report = await validateTree({
    directory: gitops,
    external: externalObjects(config),
    unpinnedImages: unpinnedImages(config),
    podSecurity: podSecurityLevels(config),
    contracts: environmentContracts(config),
  });
  const rendered = new Map<string, KubernetesObject[]>();
  for (const environment of ['dev', 'staging', 'prod']) rendered.set(environment, await kustomizeBuild(path.join(gitops, 'overlays', environment)));
  const previews = parse(await readFile(path.join(gitops, `argocd/applicationset-${app}-previews.yaml`), 'utf8'));
  const [application] = applicationsOf(previews, [pullRequest]);
  rendered.set('preview', (await renderApplication(application!, { folder: gitops, at: 'gitops' })).objects);
  return { initOutput, configText, report, rendered };
}

/** The parameters the plugin server gives the ApplicationSets for one open pull request of `repository` (owner/name). */
export function pullRequestParameters(app: string, repository: string, number: number, headSha: string): Record<string, unknown> {
  return {
    number: String(number),
    title: 'A change',
    branch: 'a-change',
    branch_slug: 'a-change',
    target_branch: 'main',
    target_branch_slug: 'main',
    head_sha: headSha,
    head_short_sha: headSha.slice(0, 8),
    head_short_sha_7: headSha.slice(0, 7),
    author: 'octocat',
    labels: [],
    namespace: `${app}-pr-${number}`,
    url: `https://github.com/${repository}/pull/${number}`,
    repo: repository,
    draft: false,
    updated_at: '2026-11-30T04:00:00Z',
  };
}
