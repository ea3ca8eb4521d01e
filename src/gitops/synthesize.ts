/**
 * `dynenv synth` as a function: configuration file → tree on disk (or, with `check`, only the differences).
 * Everything that can fail on bad input fails before the first byte is written.
 */
import path from 'node:path';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.ts';
import { UserError } from '../../contract/errors.ts';
import type { Config } from '../config/schema.ts';
import { synthesizeTree, type Tree } from './tree.ts';
import { userResources } from './user-owned.ts';
import { applyTree, diffTree, readTree, type TreeChanges } from './write.ts';

export interface SynthesizeOptions {
  /** Configuration file. @default "dynenv.yaml" */
  readonly configFile?: string;
  /** Folder of the GitOps tree. @default "gitops" */
  readonly outDir?: string;
  /** Compare only; write nothing. @default false */
  readonly check?: boolean;
}

/** Synthesizes the tree and returns how the tree on disk differed from it (before writing, unless `check`). */
export async function synthesize(options: SynthesizeOptions = {}): Promise<TreeChanges> {
  const outDir = options.outDir ?? 'gitops';
  const config = await loadConfig(options.configFile);
  requireTreeWhereArgoCdReads(config, options.configFile ?? DEFAULT_CONFIG_FILE, outDir);
  const { tree, changes } = await planSynthesis(config, outDir);
  if (!options.check) await applyTree(outDir, tree, changes);
  return changes;
}

/**
 * Refuses to write the tree anywhere but where Argo CD reads it: `repository.path`, taken from the folder of the
 * configuration file (dynenv.yaml sits at the root of the repository). A tree written elsewhere would never be
 * deployed, and the one that is would go stale without a word.
 */
export function requireTreeWhereArgoCdReads(config: Config, configFile: string, outDir: string): void {
  // Without a repository there are no Argo CD objects, so nothing reads the tree from a particular folder.
  if (config.repository === undefined) return;
  const readByArgoCd = path.resolve(path.dirname(configFile), config.repository.path);
  if (path.resolve(outDir) === readByArgoCd) return;
  const shown = path.relative(process.cwd(), readByArgoCd) || '.';
  throw new UserError(
    `--out ${outDir} is not where Argo CD reads the tree: repository.path in ${configFile} is "${config.repository.path}" (${shown}). ` +
      `Run with --out ${shown}, or change repository.path to the folder you mean.`,
  );
}

/** A synthesized tree, and how the tree on disk differs from it. */
export interface SynthesisPlan {
  readonly tree: Tree;
  readonly changes: TreeChanges;
}

/** Synthesizes the tree for `config` in memory, carrying the image pins of the tree in `outDir` forward; writes nothing. */
export async function planSynthesis(config: Config, outDir: string): Promise<SynthesisPlan> {
  const current = await readTree(outDir);
  const tree = synthesizeTree(
    config,
    (relative) => {
      const text = current.get(relative);
      return text === undefined ? undefined : { path: path.join(outDir, relative), text };
    },
    (directory) => userResources(current.keys(), directory),
  );
  return { tree, changes: diffTree(current, tree) };
}
