/**
 * Which open pull requests get a preview: the filters of `input.parameters`, applied to a listing. Pure, so
 * every filter is tested directly and the listing cache stays shared between ApplicationSets that filter
 * differently.
 */
import type { PullRequestPattern } from '../contract/pull-request-pattern.ts';
import type { PullRequest } from './github/pull-request.ts';

export interface PullRequestFilter {
  /** Labels a pull request must all carry (compared case-insensitively, as GitHub names labels). @default [] */
  readonly labels: readonly string[];
  /** Labels none of which it may carry. @default [] */
  readonly excludeLabels: readonly string[];
  /** Draft pull requests get previews too. @default false */
  readonly includeDrafts: boolean;
  /** Pull requests from forks get previews too: their code would run in your cluster. @default false */
  readonly includeForks: boolean;
  /** Base branches a pull request must target; empty means any. @default [] */
  readonly targetBranches: readonly string[];
  /** The head branch must match (unanchored, RE2 syntax). @default none */
  readonly branchMatch: PullRequestPattern | undefined;
  /** The title must match (unanchored, RE2 syntax). @default none */
  readonly titleMatch: PullRequestPattern | undefined;
  /** Only pull requests updated within this many hours. @default none */
  readonly maxAgeHours: number | undefined;
  /** Pull requests carrying this label are kept past `maxAgeHours` (compared case-insensitively). @default none */
  readonly keepLabel: string | undefined;
  /** At most this many previews, the most recently updated first. @default none */
  readonly limit: number | undefined;
}

export const NO_FILTER: PullRequestFilter = {
  labels: [],
  excludeLabels: [],
  includeDrafts: false,
  includeForks: false,
  targetBranches: [],
  branchMatch: undefined,
  titleMatch: undefined,
  maxAgeHours: undefined,
  keepLabel: undefined,
  limit: undefined,
};

/**
 * The pull requests that pass `filter` at time `nowMs`, most recently updated first (ties: higher number first),
 * so the order, and what `limit` keeps, is deterministic.
 */
export function selectPullRequests(pullRequests: readonly PullRequest[], filter: PullRequestFilter, nowMs: number): PullRequest[] {
  const required = filter.labels.map((l) => l.toLowerCase());
  const excluded = new Set(filter.excludeLabels.map((l) => l.toLowerCase()));
  const targets = new Set(filter.targetBranches);
  const oldest = filter.maxAgeHours === undefined ? undefined : nowMs - filter.maxAgeHours * 3_600_000;
  const keep = filter.keepLabel?.toLowerCase();

  const selected = pullRequests.filter((pull) => {
    if (pull.draft && !filter.includeDrafts) return false;
    if (pull.fromFork && !filter.includeForks) return false;
    if (targets.size > 0 && !targets.has(pull.targetBranch)) return false;
    if (oldest !== undefined && pull.updatedAtMs < oldest && !(keep !== undefined && pull.labels.some((l) => l.toLowerCase() === keep))) return false;
    if (required.length > 0 || excluded.size > 0) {
      const labels = new Set(pull.labels.map((l) => l.toLowerCase()));
      if (!required.every((l) => labels.has(l))) return false;
      if ([...labels].some((l) => excluded.has(l))) return false;
    }
    if (filter.branchMatch && !filter.branchMatch.test(pull.branch)) return false;
    if (filter.titleMatch && !filter.titleMatch.test(pull.title)) return false;
    return true;
  });
  selected.sort((a, b) => b.updatedAtMs - a.updatedAtMs || b.number - a.number);
  return filter.limit === undefined ? selected : selected.slice(0, filter.limit);
}
