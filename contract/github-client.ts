/**
 * The one way dynenv talks to GitHub's REST API, for the generator's delivery commands and the plugin server
 * alike: @octokit/rest with @octokit/plugin-retry (transient 5xx and connection errors) and
 * @octokit/plugin-throttling (rate limits), and one reading of what a failure means ({@link classifyGitHubFailure}).
 *
 * Both plugins would wait on Bottleneck's own timers, which no test clock moves. They are given 0 ms instead and
 * the client waits as long on the caller's `sleep`:
 * - a retry of a transient failure waits n² units before attempt n (plugin-retry's back-off; the plugin records
 *   the attempt as `request.retryCount` before it runs it again): the `waitBeforeRetries` plugin below, which
 *   comes before plugin-retry in `Octokit.plugin(...)` so that its hook runs inside the retry loop;
 * - a rate-limit retry waits the seconds GitHub asked for, in the throttling handlers, which plugin-throttling
 *   awaits before it retries.
 */
import { randomUUID } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import { Octokit } from '@octokit/rest';

export { DEFAULT_GITHUB_API_URL } from './github-api-url.ts';

/** How the client authenticates: a token, or a GitHub App installation. */
export type GitHubAuth =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'app'; readonly appId: number | string; readonly installationId: number | string; readonly privateKey: string };

/** What the client reports when GitHub's rate limit stops a request. */
export interface RateLimitEvent {
  /** `primary rate limit spent` or `secondary rate limit hit`. */
  readonly what: string;
  readonly retryAfterSeconds: number;
  readonly method: string;
  readonly url: string;
  /** False when the wait is longer than `maxRateLimitWaitSeconds` or the request was retried once already. */
  readonly willRetry: boolean;
}

export interface GitHubOctokitOptions {
  /** Base URL of the REST API, e.g. {@link DEFAULT_GITHUB_API_URL}. Required. */
  readonly apiUrl: string;
  readonly auth: GitHubAuth;
  /** Names the caller in GitHub's logs. Required. */
  readonly userAgent: string;
  /** Retries of a transient failure (5xx, connection error). @default 2 */
  readonly retries?: number;
  /** Milliseconds per unit of back-off: retries wait 1, 4, 9... units; a rate limit waits its seconds in units. @default 1000 */
  readonly retryAfterBaseValueMs?: number;
  /** How the client waits (tests pass a manual clock's sleep). @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Longest rate-limit wait worth one retry; a longer one fails at once. Required: each half has its own patience. */
  readonly maxRateLimitWaitSeconds: number;
  /** Told of every rate-limit stop, retried or not. @default nothing */
  readonly onRateLimit?: (event: RateLimitEvent) => void;
  /** The fetch every request goes through (deadlines, metrics). @default the global fetch */
  readonly fetch?: typeof fetch;
  /**
   * Space writes (POST, PATCH...) a second apart, and those that notify people (a comment, an issue) three
   * seconds apart, as GitHub asks of integrations to stay clear of its secondary rate limit. Simulations that move
   * a manual clock turn it off. @default true
   */
  readonly spaceWrites?: boolean;
  /** Where Octokit's own messages go. @default nowhere */
  readonly log?: {
    readonly debug: (message: string) => void;
    readonly info: (message: string) => void;
    readonly warn: (message: string) => void;
    readonly error: (message: string) => void;
  };
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const silent = () => undefined;

/** Octokit plugin: waits n² units on `sleep` before retry n of plugin-retry. */
function waitBeforeRetries(sleep: (ms: number) => Promise<void>, unitMs: number) {
  return (octokit: Pick<Octokit, 'hook'>): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const attempt = options.request?.retryCount;
      if (typeof attempt === 'number' && attempt > 0) await sleep(attempt ** 2 * unitMs);
      return request(options);
    });
  };
}

/**
 * Octokit plugin: success bodies parsed with JSON.parse. @octokit/request parses every JSON body with
 * json-with-bigint, which keeps integers past 2^53 exact and costs several times JSON.parse where JSON.parse cannot
 * see the source text (Node.js 20): 29% of the CPU of a paginated listing, measured on the fault matrix. No number
 * dynenv reads from GitHub (ids, pull request numbers, counts) comes near 2^53. What cannot be read or parsed
 * becomes the text read so far, as @octokit/request does.
 */
function parseJsonNatively(octokit: Pick<Octokit, 'hook'>): void {
  octokit.hook.wrap('request', async (request, options) => {
    // The hooks inside this one (authentication) were handed this very `options` object, not what is passed on:
    // it is changed in place, as plugin-retry does. A copy of `request`, which may be the client's defaults.
    options.request = { ...options.request, parseSuccessResponseBody: false };
    const response = await request(options);
    const body: unknown = response.data;
    if (!(body instanceof ReadableStream)) return response;
    const contentType = String(response.headers['content-type'] ?? '');
    let text = '';
    try {
      text = await new Response(body).text();
      response.data = /^application\/(scim\+)?json\b/i.test(contentType) ? JSON.parse(text) : text;
    } catch {
      response.data = text;
    }
    return response;
  });
}

/** A limiter group that schedules at once: what plugin-throttling's `write` group becomes without spacing. */
const UNSPACED = { key: () => ({ schedule: <T>(_options: unknown, task: (...args: unknown[]) => T, ...args: unknown[]) => Promise.resolve(task(...args)) }) };

/** A GitHub client with retries, rate-limit handling and waits on `sleep`. */
export function createGitHubOctokit(options: GitHubOctokitOptions): Octokit {
  const sleep = options.sleep ?? timer;
  const unitMs = options.retryAfterBaseValueMs ?? 1000;
  const GitHubOctokit = Octokit.plugin(parseJsonNatively, waitBeforeRetries(sleep, unitMs), retry, throttling);
  const retryOnceWithin =
    (what: string) =>
    async (retryAfterSeconds: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): Promise<boolean> => {
      const willRetry = retryCount < 1 && retryAfterSeconds <= options.maxRateLimitWaitSeconds;
      options.onRateLimit?.({ what, retryAfterSeconds, method: request.method, url: request.url, willRetry });
      if (willRetry) await sleep(retryAfterSeconds * unitMs);
      return willRetry;
    };
  const log = options.log ?? { debug: silent, info: silent, warn: silent, error: silent };
  return new GitHubOctokit({
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: options.userAgent,
    ...(options.auth.kind === 'token'
      ? { auth: options.auth.token }
      : {
          authStrategy: createAppAuth,
          auth: { appId: options.auth.appId, installationId: options.auth.installationId, privateKey: options.auth.privateKey },
        }),
    request: { fetch: options.fetch ?? globalThis.fetch },
    retry: {
      retries: options.retries ?? 2,
      retryAfterBaseValue: 0,
      // Rate limits (403, 429) belong to the throttling plugin, which knows how long to wait.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      // Throttling state is shared per id within a process: each client keeps its own.
      id: randomUUID(),
      // The typings want a Bottleneck Group; plugin-throttling only calls key(id).schedule(options, task) on it.
      ...(options.spaceWrites === false && { write: UNSPACED as never, notifications: UNSPACED as never }),
      retryAfterBaseValue: 0,
      onRateLimit: retryOnceWithin('primary rate limit spent'),
      onSecondaryRateLimit: retryOnceWithin('secondary rate limit hit'),
    },
    log,
  });
}

/** What went wrong, in the kinds callers answer differently. */
export type GitHubFailureKind =
  /** No answer within the deadline (the caller's or the request's). */
  | 'timeout'
  /** No answer at all: refused, reset, DNS. */
  | 'network'
  /** 401: the credentials are not valid. */
  | 'unauthorized'
  /** 403 without a spent rate limit: the credentials may not do this. */
  | 'forbidden'
  /** 429, or 403 with the rate limit spent. */
  | 'rate-limited'
  /** 404: no such repository, or the credentials cannot see it. */
  | 'not-found'
  /** Any other answer GitHub gave (4xx validation, 5xx). */
  | 'refused';

export interface GitHubFailure {
  readonly kind: GitHubFailureKind;
  /** GitHub's status, when it answered. */
  readonly status: number | undefined;
  /** What GitHub said (its `message` and `errors`), or what failed on the way; may be empty. */
  readonly said: string;
  /** When a spent rate limit resets, as GitHub said. */
  readonly rateLimitResetsAt: Date | undefined;
}

/** Reads whatever a request threw: Octokit's RequestError, an abort, or a failure before any answer. */
export function classifyGitHubFailure(error: unknown): GitHubFailure {
  const none = { status: undefined, rateLimitResetsAt: undefined };
  if (!(error instanceof Error)) return { kind: 'network', said: String(error), ...none };
  const causeName = error.cause instanceof Error ? error.cause.name : undefined;
  if ([error.name, causeName].some((name) => name === 'AbortError' || name === 'TimeoutError')) {
    return { kind: 'timeout', said: 'no answer in time', ...none };
  }
  // Octokit reports a failure before any answer (refused, reset) as a RequestError 500 without a response.
  if (!(error instanceof RequestError) || error.response === undefined) return { kind: 'network', said: error.message, ...none };
  const { status, response } = error;
  const said = describeAnswer(response.data) || error.message;
  const rateLimitSpent = response.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(said);
  const reset = Number(response.headers['x-ratelimit-reset']);
  const rateLimitResetsAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
  const answered = { status, said, rateLimitResetsAt };
  if (status === 429 || (status === 403 && rateLimitSpent)) return { kind: 'rate-limited', ...answered };
  if (status === 401) return { kind: 'unauthorized', ...answered };
  if (status === 403) return { kind: 'forbidden', ...answered };
  if (status === 404) return { kind: 'not-found', ...answered };
  return { kind: 'refused', ...answered };
}

/** GitHub's error body: `{ message, errors: [{ message } | "text"] }`, as one line. */
function describeAnswer(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const message = 'message' in data && typeof data.message === 'string' ? data.message : undefined;
  const errors = 'errors' in data && Array.isArray(data.errors) ? data.errors : [];
  const details = errors.map((item: unknown) =>
    typeof item === 'string'
      ? item
      : typeof item === 'object' && item !== null && 'message' in item && typeof item.message === 'string'
        ? item.message
        : undefined,
  );
  return [message, ...details].filter((part): part is string => Boolean(part)).join(': ');
}
