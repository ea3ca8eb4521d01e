/**
 * The set-up of the GitOps tests that follow one dynenv.yaml through the whole pipeline: synth into the folder's
 * gitops/, each environment's overlay rendered by real Kustomize, and validate as `dynenv validate` runs it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { externalObjects } from '../../src/validate/external-objects.ts';
import { environmentContracts } from '../../src/validate/service-contracts.ts';
import { unpinnedImages } from '../../src/validate/unpinned-images.ts';
import { validateTree, type ValidationReport } from '../../src/validate/validate-tree.ts';
import { find as findObject } from './example.ts';

/** The environments whose overlays a fixture renders. */
export const RENDERED_ENVIRONMENTS = ['dev', 'staging', 'prod', 'preview'] as const;

/** A digest for a fixture's dynenv.yaml to pin. */
export const FIXTURE_DIGEST = `sha256:${'e'.repeat(64)}`;

/** The one `kind` (and `name`) object among `objects`, typed loosely: the tests dig through rendered manifests. */
export const find = (objects: readonly KubernetesObject[], kind: string, name?: string): any => findObject(objects, kind, name);

/**
 * Writes `config` as `dir`/dynenv.yaml, synthesizes it into `dir`/gitops and renders each of RENDERED_ENVIRONMENTS'
 * overlays with Kustomize. Whatever else the test wants in `dir` (repository files, `extra/` folders) it writes first.
 */
export async function synthesizeAndRender(dir: string, config: string): Promise<Map<string, KubernetesObject[]>> {
  await writeFile(path.join(dir, 'dynenv.yaml'), config);
  await synthesize({ configFile: path.join(dir, 'dynenv.yaml'), outDir: path.join(dir, 'gitops') });
  const rendered = new Map<string, KubernetesObject[]>();
  for (const environment of RENDERED_ENVIRONMENTS) {
    rendered.set(environment, await kustomizeBuild(path.join(dir, 'gitops/overlays', environment)));
  }
  return rendered;
}

export interface ValidateSynthesizedOptions {
  /** Pass dynenv.yaml's word on the images it runs by tag; without it they are errors. @default true */
  readonly unpinnedImages?: boolean;
}

/** Validates `dir`/gitops against `dir`/dynenv.yaml, as `dynenv validate` does. */
export async function validateSynthesized(dir: string, options: ValidateSynthesizedOptions = {}): Promise<ValidationReport> {
  const config = await loadConfig(path.join(dir, 'dynenv.yaml'));
  return validateTree({
    directory: path.join(dir, 'gitops'),
    external: externalObjects(config),
    contracts: environmentContracts(config),
    ...((options.unpinnedImages ?? true) && { unpinnedImages: unpinnedImages(config) }),
  });
}
