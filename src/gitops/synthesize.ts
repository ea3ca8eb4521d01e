/**
 * `dynenv synth` as a function: configuration file → tree on disk (or, with `check`, only the differences).
 * Everything that can fail on bad input fails before the first byte is written: a bad configuration, and an
 * output folder that is not dynenv's to write (see output-folder.ts).
 */
import path from 'node:path';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.ts';
import { UserError } from '../../contract/errors.ts';
import type { Config } from '../config/schema.ts';
import { requireNoRepositoryInside, requireOwnOutputFolder, type OutputFolder } from './output-folder.ts';
import { scanTree } from './tree-on-disk.ts';
import { synthesizeTree, type Tree } from './tree.ts';
import { userResources } from './user-owned.ts';
import { applyTree, diffTree, ownershipConflicts, type TreeChanges } from './write.ts';

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
  const configFile = options.configFile ?? DEFAULT_CONFIG_FILE;
  const config = await loadConfig(configFile);
  // The folder's own refusals first (a link, the repository root, .git): they protect what is on disk.
  const { tree, changes, folder } = await planSynthesis(config, { configFile, outDir });
  requireTreeWhereArgoCdReads(config, configFile, outDir);
  if (!options.check) {
    try {
      await applyTree(folder.absolute, tree, changes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      // The folder (or the working folder) was removed mid-run: what was staged has been taken back.
      throw new UserError(
        `${outDir}: a folder of the tree disappeared while synth was writing (${(error as NodeJS.ErrnoException).path ?? folder.absolute}). Run synth again.`,
      );
    }
  }
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
  /** The output folder, by the name given and as an absolute path (which every write uses). */
  readonly folder: OutputFolder;
}

export interface PlanLocation {
  /** The configuration file (to refuse an output folder that holds it). */
  readonly configFile: string;
  /** The output folder, as the user named it (messages name it so). */
  readonly outDir: string;
}

/**
 * Synthesizes the tree for `config` in memory, carrying the image pins of the tree in `outDir` forward; writes
 * nothing. A UserError when the folder, or a file the tree would replace, is not dynenv's to write.
 */
export async function planSynthesis(config: Config, { configFile, outDir }: PlanLocation): Promise<SynthesisPlan> {
  const folder = await requireOwnOutputFolder(outDir, configFile);
  const current = await scanTree(folder.absolute);
  requireNoRepositoryInside(folder, current);
  const tree = synthesizeTree(
    config,
    (relative) => {
      const text = current.generated.get(relative);
      return text === undefined ? undefined : { path: path.join(outDir, relative), text };
    },
    // The user's files carry no header: they are among the foreign ones (links are never listed).
    (directory) => userResources([...current.generated.keys(), ...current.foreign], directory),
  );
  const conflicts = ownershipConflicts(current, tree);
  if (conflicts.length > 0) {
    throw new UserError(
      `${outDir}: dynenv writes only files of its own and changed nothing:\n  ${conflicts.map((line) => path.posix.join(outDir, line)).join('\n  ')}\n` +
        'Move these out of the way (or restore them from git), then run synth again.',
    );
  }
  return { tree, changes: diffTree(current, tree), folder };
}
