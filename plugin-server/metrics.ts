/**
 * The server's Prometheus metrics (prom-client), in a registry of their own so that several servers in one
 * process (tests, the benchmark) do not collide.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ListingSource } from './github/pull-request-source.ts';

export class PluginMetrics {
  readonly registry = new Registry();

  /** Requests by route pattern, method and status. */
  readonly httpRequests = new Counter({
    name: 'dynenv_plugin_http_requests_total',
    help: 'HTTP requests answered, by route, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'dynenv_plugin_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  /** Every HTTP request to GitHub (retries included): 200, 304 (free), or error. */
  readonly githubRequests = new Counter({
    name: 'dynenv_plugin_github_requests_total',
    help: 'Requests to the GitHub API by outcome: 200 (counts against the rate limit), 304 (free), error',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly githubRateLimitRemaining = new Gauge({
    name: 'dynenv_plugin_github_rate_limit_remaining',
    help: 'x-ratelimit-remaining of the latest GitHub answer',
    registers: [this.registry],
  });

  /** Answers that needed no page from GitHub: coalesced with another poll, or confirmed by 304s. */
  readonly cacheHits = new Counter({
    name: 'dynenv_plugin_cache_hits_total',
    help: 'Listings answered without fetching a page: coalesced with another poll, or revalidated by 304s',
    labelNames: ['repository', 'kind'] as const,
    registers: [this.registry],
  });

  readonly staleAnswers = new Counter({
    name: 'dynenv_plugin_stale_answers_total',
    help: 'Listings answered from the last good listing because GitHub failed',
    labelNames: ['repository'] as const,
    registers: [this.registry],
  });

  /** Pull requests left out of an answer because they cannot be a preview (a number no namespace can hold). */
  readonly skippedPullRequests = new Counter({
    name: 'dynenv_plugin_skipped_pull_requests_total',
    help: 'Pull requests left out of an answer because they cannot be a preview (their number cannot name a namespace)',
    labelNames: ['repository'] as const,
    registers: [this.registry],
  });

  /** @param options.defaultMetrics also export the process metrics (CPU, memory, event loop). @default false */
  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts how a listing was answered. */
  recordListing(repository: string, source: ListingSource): void {
    if (source === 'coalesced' || source === 'revalidated') this.cacheHits.inc({ repository, kind: source });
    if (source === 'stale') this.staleAnswers.inc({ repository });
  }
}
