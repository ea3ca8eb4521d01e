/**
 * `dynenv synth` as a function: configuration file → tree on disk (or, with `check`, only the differences).
 * Everything that can fail on bad input fails before the first byte is written.
 */
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { synthesizeTree } from './tree.ts';
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
  const current = await readTree(outDir);
  const next = synthesizeTree(config, (relative) => {
    const text = current.get(relative);
    return text === undefined ? undefined : { path: path.join(outDir, relative), text };
  });
  const changes = diffTree(current, next);
  if (!options.check) await applyTree(outDir, next, changes);
  return changes;
}
