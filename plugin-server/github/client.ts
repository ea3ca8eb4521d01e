/**
 * The plugin server's GitHub client: the contract's client (contract/github-client.ts: retries, rate limits,
 * waits on the server's clock), authenticated with a token or as a GitHub App, with a fetch that counts every
 * HTTP request by outcome for the metrics, and logging through the server's logger.
 */
import type { Octokit } from '@octokit/rest';
import { createGitHubOctokit } from '../../contract/github-client.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { GitHubCredentials } from '../config.ts';
import type { PluginMetrics } from '../metrics.ts';

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
   * rate limit (comments three seconds apart). Simulations that move a manual clock turn it off. @default true
   */
  readonly spaceWrites?: boolean;
}

/** A GitHub client; its `rest.pulls.list` is all the listing uses (the controller also writes statuses). */
export function createGitHubClient(options: GitHubClientOptions): Octokit {
  const clock = options.clock ?? systemClock;
  return createGitHubOctokit({
    apiUrl: options.apiUrl,
    auth: options.credentials,
    userAgent: 'dynenv-plugin-server',
    fetch: countingFetch(options.metrics),
    ...(options.retries !== undefined && { retries: options.retries }),
    retryAfterBaseValueMs: options.retryAfterBaseValueMs ?? 1000,
    sleep: (ms) => clock.sleep(ms),
    maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds ?? 5,
    onRateLimit: ({ what, ...event }) => options.logger?.warn(event, `GitHub ${what}`),
    ...(options.spaceWrites !== undefined && { spaceWrites: options.spaceWrites }),
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
