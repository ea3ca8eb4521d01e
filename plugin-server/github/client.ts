/**
 * The Octokit the server lists pull requests with: @octokit/rest with @octokit/plugin-retry (transient errors)
 * and @octokit/plugin-throttling (rate limits), authenticated with a token or as a GitHub App, and a fetch that
 * counts every HTTP request by outcome for the metrics.
 */
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { systemClock, type Clock } from '../clock.ts';
import type { GitHubCredentials } from '../config.ts';
import type { PluginMetrics } from '../metrics.ts';
import { retryWaitsOnClock } from './retry-waits.ts';

// retryWaitsOnClock first: its hook runs inside plugin-retry's loop, before each attempt.
const PluginOctokit = Octokit.plugin(retryWaitsOnClock, retry, throttling);

/** What the client needs to log; a Fastify/pino logger fits. */
export interface GitHubClientLogger {
  warn(object: object, message: string): void;
  debug(object: object, message: string): void;
}

export interface GitHubClientOptions {
  /** e.g. `https://api.github.com`, or a GitHub Enterprise or test server. */
  readonly apiUrl: string;
  readonly credentials: GitHubCredentials;
  readonly metrics?: PluginMetrics;
  readonly logger?: GitHubClientLogger;
  /** Retries of a transient failure (5xx, reset). @default 2 */
  readonly retries?: number;
  /**
   * Milliseconds per unit of back-off: retries wait 1, 4, 9... units; a rate limit waits its `retry-after`
   * seconds in units. @default 1000
   */
  readonly retryAfterBaseValueMs?: number;
  /** What the back-off and rate-limit waits are measured on (tests move a ManualClock). @default the system clock */
  readonly clock?: Clock;
  /** Longest rate-limit wait worth a retry; longer ones fail at once (the last good listing answers). @default 5 */
  readonly maxRateLimitWaitSeconds?: number;
  /**
   * Space writes (POST, PATCH...) a second apart, as GitHub asks of integrations to stay clear of its secondary
   * rate limit. Simulations that move a manual clock turn it off. @default true
   */
  readonly spaceWrites?: boolean;
}

/** A limiter group that schedules at once: what plugin-throttling's `write` group becomes without spacing. */
const UNSPACED = { key: () => ({ schedule: <T>(_options: unknown, task: (...args: unknown[]) => T, ...args: unknown[]) => Promise.resolve(task(...args)) }) };

/** A GitHub client; its `rest.pulls.list` is all the plugin server uses. */
export function createGitHubClient(options: GitHubClientOptions): Octokit {
  const maxWait = options.maxRateLimitWaitSeconds ?? 5;
  const clock = options.clock ?? systemClock;
  const unitMs = options.retryAfterBaseValueMs ?? 1000;
  // plugin-throttling awaits this handler before it retries (after 0 ms of its own): the wait is on the clock.
  const retryWithin =
    (what: string) =>
    async (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number): Promise<boolean> => {
      const willRetry = retryCount < 1 && retryAfter <= maxWait;
      options.logger?.warn({ retryAfterSeconds: retryAfter, method: request.method, url: request.url, willRetry }, `GitHub ${what}`);
      if (willRetry) await clock.sleep(retryAfter * unitMs);
      return willRetry;
    };
  return new PluginOctokit({
    baseUrl: options.apiUrl,
    userAgent: 'dynenv-plugin-server',
    ...(options.credentials.kind === 'token'
      ? { auth: options.credentials.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: options.credentials.appId,
            installationId: options.credentials.installationId,
            privateKey: options.credentials.privateKey,
          },
        }),
    request: { fetch: countingFetch(options.metrics) },
    // Both plugins wait 0 ms on their own timers; retryWaits and retryWithin wait on the clock instead.
    retryWaits: { clock, unitMs },
    retry: {
      retries: options.retries ?? 2,
      retryAfterBaseValue: 0,
      // Rate limits (403, 429) belong to the throttling plugin, which knows how long to wait.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      // The typings want a Bottleneck Group; plugin-throttling only calls key(id).schedule(options, task) on it.
      ...(options.spaceWrites === false && { write: UNSPACED as never }),
      retryAfterBaseValue: 0,
      onRateLimit: retryWithin('primary rate limit spent'),
      onSecondaryRateLimit: retryWithin('secondary rate limit hit'),
    },
    // Octokit logs every failed request as an error, 304s included; the server reports what a failure means
    // (a stale answer, an error reply) itself, so Octokit's lines are debug material.
    log: {
      debug: (message: string) => options.logger?.debug({}, message),
      info: (message: string) => options.logger?.debug({}, message),
      warn: (message: string) => options.logger?.warn({}, message),
      error: (message: string) => options.logger?.debug({}, message),
    },
  });
}

function countingFetch(metrics: PluginMetrics | undefined): typeof fetch {
  if (!metrics) return globalThis.fetch;
  return async (input, init) => {
    let response: Response;
    try {
      response = await globalThis.fetch(input, init);
    } catch (error) {
      metrics.githubRequests.inc({ outcome: 'error' });
      throw error;
    }
    const outcome = response.status === 304 ? '304' : response.ok ? '200' : 'error';
    metrics.githubRequests.inc({ outcome });
    const remaining = Number(response.headers.get('x-ratelimit-remaining'));
    if (response.headers.has('x-ratelimit-remaining') && Number.isFinite(remaining)) {
      metrics.githubRateLimitRemaining.set(remaining);
    }
    return response;
  };
}
