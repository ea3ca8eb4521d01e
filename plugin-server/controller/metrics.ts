/** The controller's Prometheus metrics (prom-client), in a registry of their own. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

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

  /** @param options.defaultMetrics also export the process metrics. @default false */
  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
