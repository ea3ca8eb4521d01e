/**
 * `dynenv synth` as a function: configuration file → tree on disk (or, with `check`, only the differences).
 * Everything that can fail on bad input fails before the first byte is written.
 */
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
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
  const { tree, changes } = await planSynthesis(config, outDir);
  if (!options.check) await applyTree(outDir, tree, changes);
  return changes;
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
