/**
 * Which GitHub repository the pull requests go to: `--repo`, else `repository.github` in dynenv.yaml, else the
 * owner/name in `repository.url`, else in the URL of `origin`. GitHub Enterprise hosts work like github.com:
 * only the owner/name part of the URL matters (the API is found through GITHUB_API_URL).
 */
import { GITHUB_REPOSITORY, type Config } from '../config/schema.ts';
import { UserError } from '../../contract/errors.ts';

export interface GitHubRepository {
  readonly owner: string;
  readonly name: string;
}

export function formatRepository(repository: GitHubRepository): string {
  return `${repository.owner}/${repository.name}`;
}

/** `owner/name` → repository; undefined when it is not that shape. */
export function parseRepositoryName(text: string): GitHubRepository | undefined {
  if (!GITHUB_REPOSITORY.test(text)) return undefined;
  const [owner, name] = text.split('/') as [string, string];
  return { owner, name };
}

/**
 * The owner/name of a Git URL on a GitHub host: `https://host/owner/name(.git)`, `ssh://git@host[:port]/owner/name`
 * or `git@host:owner/name`. Undefined for anything else (a local path, a file:// URL, a deeper path).
 */
export function repositoryFromGitUrl(url: string): GitHubRepository | undefined {
  const scp = /^[\w.-]+@[\w.-]+:(?!\/)([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url);
  if (scp) return parseRepositoryName(scp[1]!);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!['https:', 'http:', 'ssh:', 'git:'].includes(parsed.protocol) || !parsed.hostname) return undefined;
  const match = /^\/([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(decodeURIComponent(parsed.pathname));
  return match ? parseRepositoryName(match[1]!) : undefined;
}

export interface RepositorySources {
  /** `--repo owner/name` */
  readonly flag: string | undefined;
  readonly config: Config;
  /** The URL of `origin`. */
  readonly originUrl: string;
}

/** The repository, from the first source that names one; a UserError when none does. */
export function resolveGitHubRepository({ flag, config, originUrl }: RepositorySources): GitHubRepository {
  if (flag !== undefined) {
    const repository = parseRepositoryName(flag);
    if (!repository) throw new UserError(`--repo: expected "owner/name", got ${JSON.stringify(flag)}`);
    return repository;
  }
  const configured = config.repository?.github ?? config.repository?.url;
  if (configured !== undefined) {
    const repository = parseRepositoryName(configured) ?? repositoryFromGitUrl(configured);
    if (repository) return repository;
  }
  const fromOrigin = repositoryFromGitUrl(originUrl);
  if (fromOrigin) return fromOrigin;
  throw new UserError(
    `cannot tell which GitHub repository to open the pull request in: origin is ${originUrl}, not a GitHub URL. ` +
      'Set repository.github ("owner/name") in dynenv.yaml, or pass --repo owner/name.',
  );
}
