/**
 * The GitHub API as delivery uses it: the repository and its pull requests, through @octokit/rest with
 * @octokit/plugin-retry (transient 5xx and network errors) and @octokit/plugin-throttling (rate limits).
 * Every failure becomes a UserError that names the request, GitHub's answer and what to do about it.
 */
import { randomUUID } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { UserError } from '../errors.ts';
import { describeConnectionFailure } from '../system-errors.ts';
import { formatRepository, type GitHubRepository } from './github-repository.ts';

const DeliveryOctokit = Octokit.plugin(retry, throttling);
type DeliveryOctokit = InstanceType<typeof DeliveryOctokit>;

/** The public API; GitHub Enterprise and test servers are set with GITHUB_API_URL. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

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
  private readonly octokit: DeliveryOctokit;
  readonly apiUrl: string;

  constructor(options: GitHubClientOptions) {
    this.apiUrl = (options.apiUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
    const maxWait = options.maxRateLimitWaitSeconds ?? 60;
    const warn = options.onWarning ?? (() => undefined);
    const retryOnceWithin = (what: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const willRetry = retryCount < 1 && retryAfter <= maxWait;
      if (willRetry) warn(`GitHub ${what} (${request.method} ${request.url}): retrying in ${retryAfter}s`);
      return willRetry;
    };
    const timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.octokit = new DeliveryOctokit({
      baseUrl: this.apiUrl,
      auth: options.token,
      userAgent: 'dynenv-delivery',
      request: {
        // A hung connection must not hang the command: each HTTP request gets its own deadline.
        fetch: (url: string | URL, init: RequestInit = {}) =>
          fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) }),
      },
      retry: {
        retries: options.retries ?? 2,
        retryAfterBaseValue: options.retryAfterBaseValueMs ?? 1000,
        // Rate limits (403, 429) belong to the throttling plugin, which knows how long to wait.
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      },
      throttle: {
        // Throttling state is shared per id in the process; a command has one client, so give it its own.
        id: randomUUID(),
        retryAfterBaseValue: options.retryAfterBaseValueMs ?? 1000,
        onRateLimit: retryOnceWithin('primary rate limit spent'),
        onSecondaryRateLimit: retryOnceWithin('secondary rate limit hit'),
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
    const failure = error as {
      status?: number;
      name?: string;
      message?: string;
      cause?: { name?: string };
      response?: { data?: unknown; headers?: Record<string, string> };
    };
    const data = failure.response?.data as { message?: string; errors?: Array<{ message?: string } | string> } | undefined;
    const details = (data?.errors ?? []).map((item) => (typeof item === 'string' ? item : item.message)).filter(Boolean);
    const said = [data?.message, ...details].filter(Boolean).join(': ');
    const prefix = `GitHub API ${this.apiUrl}: ${what}`;
    if (failure.response === undefined) {
      const timedOut = [failure.name, failure.cause?.name].some((name) => name === 'TimeoutError' || name === 'AbortError');
      const reason = timedOut ? 'no answer in time' : (describeConnectionFailure(error) ?? failure.message ?? String(error));
      return new UserError(`${prefix} failed: ${reason}. Check GITHUB_API_URL and the network, then run again.`);
    }
    const status = failure.status ?? 0;
    const answer = `${prefix} answered ${status}${said ? ` ${said}` : ''}`;
    if (status === 422 && /already exists/i.test(said)) return new PullRequestExistsError(answer);
    if (status === 401) return new UserError(`${answer}: GITHUB_TOKEN is not valid (expired or revoked?). Set a valid token and run again.`);
    if ((status === 403 || status === 429) && failure.response.headers?.['x-ratelimit-remaining'] === '0') {
      const reset = Number(failure.response.headers['x-ratelimit-reset']);
      const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
      return new UserError(`${answer}: the token's API rate limit is spent${when}. Run again after that.`);
    }
    if (status === 404) {
      return new UserError(`${answer}: the repository ${formatRepository(repository)} does not exist, or GITHUB_TOKEN cannot see it.`);
    }
    if (status === 403) {
      return new UserError(`${answer}: GITHUB_TOKEN may not do this; it needs "contents: read" and "pull requests: write" on ${formatRepository(repository)}.`);
    }
    return new UserError(`${answer}. Run again once GitHub answers normally.`);
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
export function gitHubClientFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<GitHubClientOptions> = {},
): GitHubClient {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new UserError(
      'GITHUB_TOKEN is not set: dynenv opens the pull request through the GitHub API. Set GITHUB_TOKEN to a token ' +
        'with "pull requests: write" on the repository (and GITHUB_API_URL for GitHub Enterprise). Nothing was changed.',
    );
  }
  const apiUrl = env.GITHUB_API_URL?.trim() || DEFAULT_GITHUB_API_URL;
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
    throw new UserError(`GITHUB_API_URL: expected an http(s) URL such as "https://github.example.com/api/v3", got ${JSON.stringify(apiUrl)}`);
  }
  return new GitHubClient({ ...overrides, token, apiUrl });
}
