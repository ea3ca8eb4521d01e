/**
 * One pull request per dynenv branch: opened when there is none, updated when its title, body or base no
 * longer say what the branch holds, left alone when they do (so a repeated run sends no write at all).
 */
import type { GitHubClient, PullRequestContent, PullRequestSummary } from './github-client.ts';
import { PullRequestExistsError } from './github-client.ts';
import type { GitHubRepository } from './github-repository.ts';

export type PullRequestOutcome = 'opened' | 'updated' | 'unchanged';

export interface PullRequestResult {
  readonly pull: PullRequestSummary;
  readonly outcome: PullRequestOutcome;
}

/**
 * Opens the pull request for `branch`, or brings `existing` (the open one found before pushing) up to date.
 * When another run opened one in between (GitHub answers 422 "already exists"), that one is updated instead.
 */
export async function openOrUpdatePullRequest(
  github: GitHubClient,
  repository: GitHubRepository,
  branch: string,
  content: PullRequestContent,
  existing: PullRequestSummary | undefined,
): Promise<PullRequestResult> {
  if (existing) return updateIfChanged(github, repository, existing, content);
  try {
    return { pull: await github.createPullRequest(repository, branch, content), outcome: 'opened' };
  } catch (error) {
    if (!(error instanceof PullRequestExistsError)) throw error;
    const raced = await github.findOpenPullRequest(repository, branch);
    if (!raced) throw error;
    return updateIfChanged(github, repository, raced, content);
  }
}

async function updateIfChanged(
  github: GitHubClient,
  repository: GitHubRepository,
  pull: PullRequestSummary,
  content: PullRequestContent,
): Promise<PullRequestResult> {
  if (pull.title === content.title && pull.body === content.body && pull.base === content.base) {
    return { pull, outcome: 'unchanged' };
  }
  return { pull: await github.updatePullRequest(repository, pull.number, content), outcome: 'updated' };
}
