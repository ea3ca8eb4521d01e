/** The controller's Prometheus metrics (prom-client), in a registry of their own. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { TIME_LEFT_BUCKETS, timeLeftBucket, type PreviewExpiry } from './status/preview-expiry.ts';

export class ControllerMetrics {
  readonly registry = new Registry();

  /** Refresh annotations set on ApplicationSets, by outcome. */
  readonly refreshPatches = new Counter({
    name: 'dynenv_controller_applicationset_refreshes_total',
    help: 'Refresh annotations set on ApplicationSets after a webhook, by outcome (patched, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** What the watches of the Kubernetes API did. */
  readonly watchEvents = new Gauge({
    name: 'dynenv_controller_kubernetes_watch',
    help: 'Kubernetes watches by resource and what happened: lists, watches, relists after 410 Gone, bookmarks, failures',
    labelNames: ['resource', 'kind'] as const,
    registers: [this.registry],
  });

  /** Writes to GitHub (deployments, statuses, comments). */
  readonly githubWrites = new Counter({
    name: 'dynenv_controller_github_writes_total',
    help: 'Deployments, deployment statuses and comments written to GitHub',
    registers: [this.registry],
  });

  /** Where the previews' expiries are read from, at each scrape. */
  private expiries: { readonly values: () => Iterable<PreviewExpiry>; readonly now: () => number } | undefined;

  /** Previews by time left before they expire. */
  readonly previewsByTimeLeft = new Gauge({
    name: 'dynenv_controller_previews',
    help: 'Previews by time left before they expire without activity: expired, under_1h, under_6h, under_24h, over_24h, kept (keep label), never',
    labelNames: ['time_left'] as const,
    registers: [this.registry],
    collect: () => {
      if (!this.expiries) return;
      const counts = new Map<string, number>(TIME_LEFT_BUCKETS.map((bucket) => [bucket, 0]));
      const now = this.expiries.now();
      for (const expiry of this.expiries.values()) {
        const bucket = timeLeftBucket(expiry, now);
        counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
      }
      for (const [bucket, count] of counts) this.previewsByTimeLeft.set({ time_left: bucket }, count);
    },
  });

  /** @param options.defaultMetrics also export the process metrics. @default false */
  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts previews by time left from `values()` at each scrape. */
  countPreviews(values: () => Iterable<PreviewExpiry>, now: () => number = Date.now): void {
    this.expiries = { values, now };
  }
}
