/**
 * The GitHub API as delivery uses it: the repository and its pull requests, through the contract's client
 * (contract/github-client.ts: retries of transient failures, rate limits). Every failure becomes a UserError
 * that names the request, GitHub's answer and what to do about it.
 */
import type { Octokit } from '@octokit/rest';
import { classifyGitHubFailure, createGitHubOctokit, DEFAULT_GITHUB_API_URL } from '../../contract/github-client.ts';
import { UserError } from '../../contract/errors.ts';
import { hasUrlCredentials, redactCredentials } from '../../contract/redact-credentials.ts';
import { describeConnectionFailure } from '../system-errors.ts';
import { formatRepository, type GitHubRepository } from './github-repository.ts';

export { DEFAULT_GITHUB_API_URL };

export interface GitHubClientOptions {
  /** A token allowed to read the repository and write its pull requests. Required. */
  readonly token: string;
  /** Base URL of the REST API. @default "https://api.github.com" */
  readonly apiUrl?: string;
  /** Retries of a transient failure (5xx, connection error). @default 2 */
  readonly retries?: number;
  /** Milliseconds per unit of back-off: retries wait 1, 4, 9... units. Tests shrink it. @default 1000 */
  readonly retryAfterBaseValueMs?: number;
  /** Longest rate-limit wait worth one retry; a longer one fails at once, saying when to try again. @default 60 */
  readonly maxRateLimitWaitSeconds?: number;
  /** How long one HTTP request may take. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Where Octokit's warnings (deprecations, rate-limit waits) go. @default nowhere */
  readonly onWarning?: (message: string) => void;
}

/** An open pull request, as far as delivery cares. */
export interface PullRequestSummary {
  readonly number: number;
  readonly url: string;
  readonly title: string;
  readonly body: string;
  readonly base: string;
}

export interface PullRequestContent {
  readonly title: string;
  readonly body: string;
  /** Branch it merges into. */
  readonly base: string;
}

/** Thrown when GitHub refuses to open a second pull request for the same head and base. */
export class PullRequestExistsError extends UserError {}

export class GitHubClient {
  private readonly octokit: Octokit;
  readonly apiUrl: string;

  constructor(options: GitHubClientOptions) {
    this.apiUrl = (options.apiUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
    const warn = options.onWarning ?? (() => undefined);
    const timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.octokit = createGitHubOctokit({
      apiUrl: this.apiUrl,
      auth: { kind: 'token', token: options.token },
      userAgent: 'dynenv-delivery',
      // A hung connection must not hang the command: each HTTP request gets its own deadline.
      fetch: (url: string | URL | Request, init: RequestInit = {}) =>
        fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) }),
      ...(options.retries !== undefined && { retries: options.retries }),
      ...(options.retryAfterBaseValueMs !== undefined && { retryAfterBaseValueMs: options.retryAfterBaseValueMs }),
      maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds ?? 60,
      onRateLimit: (event) => {
        if (event.willRetry) warn(`GitHub ${event.what} (${event.method} ${event.url}): retrying in ${event.retryAfterSeconds}s`);
      },
      // Octokit logs every failed request at error level, a connection that got no answer as "500 with id
      // UNKNOWN": the failure is said once, by describeFailure, in words the user can act on.
      log: { debug: () => undefined, info: () => undefined, warn, error: () => undefined },
    });
  }

  /**
   * The repository's default branch. Called before anything is pushed: it proves the token works and can see
   * the repository, so that a bad token or a wrong repository fails while nothing has changed yet.
   */
  async getRepository(repository: GitHubRepository): Promise<{ defaultBranch: string }> {
    const data = await this.call(`GET /repos/${formatRepository(repository)}`, repository, () =>
      this.octokit.rest.repos.get({ owner: repository.owner, repo: repository.name }),
    );
    if (typeof data.default_branch !== 'string') throw unexpectedAnswer(`GET /repos/${formatRepository(repository)}`);
    return { defaultBranch: data.default_branch };
  }

  /** The open pull request whose head is `branch` of the repository itself, if any. */
  async findOpenPullRequest(repository: GitHubRepository, branch: string): Promise<PullRequestSummary | undefined> {
    const head = `${repository.owner}:${branch}`;
    const data = await this.call(`GET /repos/${formatRepository(repository)}/pulls?head=${head}`, repository, () =>
      this.octokit.rest.pulls.list({ owner: repository.owner, repo: repository.name, head, state: 'open', per_page: 10 }),
    );
    if (!Array.isArray(data)) throw unexpectedAnswer(`GET /repos/${formatRepository(repository)}/pulls`);
    const pull = data[0];
    return pull === undefined ? undefined : summarize(pull, `GET /repos/${formatRepository(repository)}/pulls`);
  }

  async createPullRequest(repository: GitHubRepository, branch: string, content: PullRequestContent): Promise<PullRequestSummary> {
    const what = `POST /repos/${formatRepository(repository)}/pulls`;
    const data = await this.call(what, repository, () =>
      this.octokit.rest.pulls.create({ owner: repository.owner, repo: repository.name, head: branch, ...content }),
    );
    return summarize(data, what);
  }

  async updatePullRequest(repository: GitHubRepository, number: number, content: PullRequestContent): Promise<PullRequestSummary> {
    const what = `PATCH /repos/${formatRepository(repository)}/pulls/${number}`;
    const data = await this.call(what, repository, () =>
      this.octokit.rest.pulls.update({ owner: repository.owner, repo: repository.name, pull_number: number, ...content }),
    );
    return summarize(data, what);
  }

  private async call<T>(what: string, repository: GitHubRepository, request: () => Promise<{ data: T }>): Promise<T> {
    try {
      return (await request()).data;
    } catch (error) {
      throw this.describeFailure(what, repository, error);
    }
  }

  private describeFailure(what: string, repository: GitHubRepository, error: unknown): UserError {
    const failure = classifyGitHubFailure(error);
    const prefix = `GitHub API ${this.apiUrl}: ${what}`;
    if (failure.kind === 'timeout' || failure.kind === 'network') {
      const reason = failure.kind === 'timeout' ? failure.said : (describeConnectionFailure(error) ?? failure.said);
      return new UserError(`${prefix} failed: ${reason}. Check GITHUB_API_URL and the network, then run again.`);
    }
    const answer = `${prefix} answered ${failure.status}${failure.said ? ` ${failure.said}` : ''}`;
    switch (failure.kind) {
      case 'unauthorized':
        return new UserError(`${answer}: GITHUB_TOKEN is not valid (expired or revoked?). Set a valid token and run again.`);
      case 'rate-limited': {
        const when = failure.rateLimitResetsAt ? ` until ${failure.rateLimitResetsAt.toISOString()}` : '';
        return new UserError(`${answer}: the token's API rate limit is spent${when}. Run again after that.`);
      }
      case 'not-found':
        return new UserError(`${answer}: the repository ${formatRepository(repository)} does not exist, or GITHUB_TOKEN cannot see it.`);
      case 'forbidden':
        return new UserError(
          `${answer}: GITHUB_TOKEN may not do this; it needs "contents: read" and "pull requests: write" on ${formatRepository(repository)}.`,
        );
      case 'refused':
        if (failure.status === 422 && /already exists/i.test(failure.said)) return new PullRequestExistsError(answer);
        return new UserError(`${answer}. Run again once GitHub answers normally.`);
    }
  }
}

function summarize(pull: unknown, what: string): PullRequestSummary {
  const data = pull as { number?: unknown; html_url?: unknown; title?: unknown; body?: unknown; base?: { ref?: unknown } };
  if (typeof data?.number !== 'number' || typeof data.html_url !== 'string' || typeof data.base?.ref !== 'string') {
    throw unexpectedAnswer(what);
  }
  return {
    number: data.number,
    url: data.html_url,
    title: typeof data.title === 'string' ? data.title : '',
    body: typeof data.body === 'string' ? data.body : '',
    base: data.base.ref,
  };
}

function unexpectedAnswer(what: string): UserError {
  return new UserError(`GitHub API: ${what} answered something that is not a pull request or repository (a cut or garbled reply?). Run again.`);
}

/** The client configured by the environment: GITHUB_TOKEN (required) and GITHUB_API_URL. */
export function gitHubClientFromEnvironment(env: Readonly<Record<string, string | undefined>>, overrides: Partial<GitHubClientOptions> = {}): GitHubClient {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new UserError(
      'GITHUB_TOKEN is not set: dynenv opens the pull request through the GitHub API. Set GITHUB_TOKEN to a token ' +
        'with "pull requests: write" on the repository (and GITHUB_API_URL for GitHub Enterprise). Nothing was changed.',
    );
  }
  const apiUrl = env.GITHUB_API_URL?.trim() || DEFAULT_GITHUB_API_URL;
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
    throw new UserError(
      `GITHUB_API_URL: expected an http(s) URL such as "https://github.example.com/api/v3", got ${JSON.stringify(redactCredentials(apiUrl))}`,
    );
  }
  if (hasUrlCredentials(apiUrl)) {
    throw new UserError(
      `GITHUB_API_URL: must not hold credentials, got ${JSON.stringify(redactCredentials(apiUrl))}: put the token in GITHUB_TOKEN. Nothing was changed.`,
    );
  }
  return new GitHubClient({ ...overrides, token, apiUrl });
}
