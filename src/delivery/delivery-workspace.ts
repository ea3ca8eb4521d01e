/**
 * What every delivery command starts from: the configuration, the checkout that holds it, where dynenv.yaml
 * and the GitOps tree are inside it, and which branch of origin the environments deploy from.
 */
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../../contract/errors.ts';
import { fetchRemoteBranch, openCheckout, pathInCheckout, remoteDefaultBranch, REMOTE, requireCleanWorkingTree, type Checkout } from './checkout.ts';

export interface WorkspaceOptions {
  /** Folder the command runs in. */
  readonly cwd: string;
  /** dynenv.yaml, relative to `cwd`. */
  readonly configFile: string;
  /** The GitOps tree, relative to `cwd`. */
  readonly outDir: string;
  /** The command, for messages: `dynenv promote`. */
  readonly command: string;
  /** Refuse uncommitted changes. @default true */
  readonly requireClean?: boolean;
}

export interface DeliveryWorkspace {
  readonly config: Config;
  readonly checkout: Checkout;
  /** dynenv.yaml from the repository root, with "/". */
  readonly configPath: string;
  /** The GitOps tree from the repository root, with "/". */
  readonly outPath: string;
}

export async function openWorkspace(options: WorkspaceOptions): Promise<DeliveryWorkspace> {
  const checkout = await openCheckout(options.cwd);
  const configPath = await pathInCheckout(checkout, options.cwd, options.configFile, 'the configuration');
  const outPath = await pathInCheckout(checkout, options.cwd, options.outDir, 'the GitOps tree');
  if (options.requireClean ?? true) await requireCleanWorkingTree(checkout, [configPath, outPath], options.command);
  const config = await loadConfig(path.resolve(options.cwd, options.configFile), options.configFile);
  return { config, checkout, configPath, outPath };
}

/** The branch the environments deploy from: `--base`, else repository.branch in dynenv.yaml, else origin's default. */
export async function baseBranch(workspace: DeliveryWorkspace, flag: string | undefined): Promise<string> {
  return flag ?? workspace.config.repository?.branch ?? (await remoteDefaultBranch(workspace.checkout));
}

/** Fetches the base branch and returns its commit; a UserError when origin has no such branch. */
export async function fetchBase(workspace: DeliveryWorkspace, base: string): Promise<string> {
  const commit = await fetchRemoteBranch(workspace.checkout, base);
  if (commit === undefined) {
    throw new UserError(
      `${REMOTE} has no branch ${JSON.stringify(base)}: push it first, or name the deployed branch with --base or repository.branch in dynenv.yaml`,
    );
  }
  return commit;
}
