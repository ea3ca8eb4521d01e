/**
 * The GitHub side of a delivery, set up and checked before anything is pushed: the token is present, the
 * API answers, and the repository exists and is visible to the token.
 */
import type { Config } from '../config/schema.ts';
import { originUrl, type Checkout } from './checkout.ts';
import { gitHubClientFromEnvironment, type GitHubClientOptions } from './github-client.ts';
import { resolveGitHubRepository } from './github-repository.ts';
import type { GitHubTarget } from './publish-branch.ts';

export interface GitHubSettings {
  /** The process environment: GITHUB_TOKEN (required), GITHUB_API_URL. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--repo owner/name`. @default from dynenv.yaml or origin */
  readonly repo?: string;
  /** Client settings beyond the environment (retry timing in tests). @default none */
  readonly client?: Partial<GitHubClientOptions>;
}

export async function connectGitHub(checkout: Checkout, config: Config, settings: GitHubSettings): Promise<GitHubTarget> {
  const client = gitHubClientFromEnvironment(settings.env, settings.client);
  const repository = resolveGitHubRepository({ flag: settings.repo, config, originUrl: await originUrl(checkout) });
  await client.getRepository(repository);
  return { client, repository };
}
