/**
 * `dynenv propose` as a function: synthesizes the tree from dynenv.yaml as HEAD holds it and, when gitops/
 * differs, commits only gitops/ on top of HEAD on dynenv's own branch (default `dynenv/synth`), pushes it and
 * opens or updates the pull request. The checkout itself is not written: the change reaches gitops/ through
 * the pull request. A second run with nothing new finds the branch and the pull request already saying the
 * same and changes nothing.
 */
import path from 'node:path';
import { DEFAULT_PROPOSE_BRANCH } from '../defaults.ts';
import { UsageError } from '../../contract/errors.ts';
import { formatChanges, groupOf } from '../gitops/format-changes.ts';
import { planSynthesis } from '../gitops/synthesize.ts';
import { applyTree, hasChanges, type TreeChanges } from '../gitops/write.ts';
import type { Checkout } from './checkout.ts';
import { baseBranch, fetchBase, openWorkspace } from './delivery-workspace.ts';
import { connectGitHub, type GitHubSettings } from './github-target.ts';
import { publishBranch, type PublishResult } from './publish-branch.ts';

/** dynenv's branch for synthesized trees. */
export { DEFAULT_PROPOSE_BRANCH };

export interface ProposeOptions extends GitHubSettings {
  /** Folder the command runs in. */
  readonly cwd: string;
  /** @default "dynenv.yaml" */
  readonly configFile?: string;
  /** @default "gitops" */
  readonly outDir?: string;
  /** The branch dynenv owns and force-pushes (with a lease). @default "dynenv/synth" */
  readonly branch?: string;
  /** The branch the pull request merges into. @default repository.branch, else origin's default branch */
  readonly base?: string;
}

export type ProposeResult =
  | { readonly outcome: 'up-to-date' }
  | { readonly outcome: 'published'; readonly changes: TreeChanges; readonly branch: string; readonly publish: PublishResult };

export async function propose(options: ProposeOptions): Promise<ProposeResult> {
  const configFile = options.configFile ?? 'dynenv.yaml';
  const outDir = options.outDir ?? 'gitops';
  const workspace = await openWorkspace({ cwd: options.cwd, configFile, outDir, command: 'dynenv propose' });
  // The working tree is clean, so what it synthesizes, and how its gitops/ differs, is what HEAD's would.
  const { tree, changes } = await planSynthesis(workspace.config, path.resolve(options.cwd, outDir));
  if (!hasChanges(changes)) return { outcome: 'up-to-date' };

  const base = await baseBranch(workspace, options.base);
  const branch = options.branch ?? DEFAULT_PROPOSE_BRANCH;
  await requireOwnBranch(workspace.checkout, branch, base);
  await fetchBase(workspace, base);
  const github = await connectGitHub(workspace.checkout, workspace.config, options);
  const { configPath, outPath } = workspace;
  const summary = formatChanges(outPath, changes);
  const title = proposalTitle(outPath, changes);
  const publish = await publishBranch(workspace.checkout, github, {
    branch,
    parent: workspace.checkout.head,
    paths: [outPath],
    commitPaths: [outPath],
    edit: (root) => applyTree(path.join(root, outPath), tree, changes),
    commitMessage: `${title}\n\n${summary}`,
    command: 'propose',
    pullRequest: {
      title,
      body: proposalBody({ configPath, outPath, head: workspace.checkout.head, summary, branch }),
      base,
    },
  });
  return { outcome: 'published', changes, branch, publish };
}

/** `Synthesize gitops/: overlays/prod, overlays/staging`, naming at most three parts of the tree. */
export function proposalTitle(outPath: string, changes: TreeChanges): string {
  const groups = [...new Set([...changes.added, ...changes.changed, ...changes.removed].map(groupOf))].sort();
  const named = groups.length > 3 ? `${groups.slice(0, 2).join(', ')} and ${groups.length - 2} more` : groups.join(', ');
  return `Synthesize ${outPath}/: ${named}`;
}

function proposalBody(input: { configPath: string; outPath: string; head: string; summary: string; branch: string }): string {
  return [
    `\`npx dynenv synth\` of \`${input.configPath}\` at \`${input.head.slice(0, 12)}\` changes \`${input.outPath}/\`:`,
    '',
    '```text',
    input.summary.trimEnd(),
    '```',
    '',
    `<sub>Opened by \`dynenv propose\`. It owns the branch \`${input.branch}\` and rewrites it whenever the synthesized tree changes: do not push to it.</sub>`,
    '',
  ].join('\n');
}

/** Refuses a branch that is not dynenv's to rewrite: the base branch, or a name git does not accept. */
async function requireOwnBranch(checkout: Checkout, branch: string, base: string): Promise<void> {
  if (branch === base) {
    throw new UsageError(`--branch ${branch}: that is the base branch; dynenv pushes (with --force-with-lease) only to a branch of its own`);
  }
  const check = await checkout.git.attempt(['check-ref-format', '--branch', branch]);
  if (check.code !== 0 || branch.startsWith('-')) throw new UsageError(`--branch: ${JSON.stringify(branch)} is not a valid branch name`);
}
