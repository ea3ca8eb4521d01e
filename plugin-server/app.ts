/**
 * The plugin server as a Fastify instance, built from its dependencies so tests drive it with inject() or on
 * loopback, with a fake GitHub and a clock they control.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { answerClientError, answerFrameworkError } from './client-error.ts';
import { systemClock, type Clock } from './clock.ts';
import type { PluginServerConfig } from './config.ts';
import { errorHandlerPlugin } from './error-handler.ts';
import { gracefulClosePlugin } from './graceful-close.ts';
import type { PullRequestSource } from './github/pull-request-source.ts';
import { httpMetricsPlugin } from './http-metrics.ts';
import { loggerOptions, type PluginLoggerOptions } from './logging.ts';
import { PluginMetrics } from './metrics.ts';
import { RepositoryAllowlist } from './repositories.ts';
import { getParamsRoute } from './routes/getparams.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoute } from './routes/metrics.ts';
import { webhookRoute } from './routes/webhook.ts';
import type { WebhookLimits } from './webhook-intake.ts';
import { PLUGIN_SERVER_DEFAULTS } from '../contract/plugin-server-defaults.ts';
import { PluginError } from './errors.ts';
import { Readiness } from './readiness.ts';

export interface PluginServerDeps {
  /** The settings the HTTP side uses (the rest configure the GitHub client and source). */
  readonly config: Pick<PluginServerConfig, 'pluginToken' | 'basePath' | 'webhookSecret' | 'repositories'> & Partial<Pick<PluginServerConfig, 'webhookPath'>>;
  /** Open pull requests by repository: GitHub through GitHubPullRequestSource, or a test double. */
  readonly pullRequests: PullRequestSource;
  /** Runs every deadline (the listing's, the webhook body's). @default the system clock */
  readonly clock?: Clock;
  /** Limits of what the webhook reads before it checks the signature. @default DEFAULT_WEBHOOK_LIMITS */
  readonly webhookLimits?: Partial<Omit<WebhookLimits, 'clock'>>;
  /** Logging, or false for none. @default info level to standard output */
  readonly logger?: PluginLoggerOptions | false;
  /** @default a fresh registry */
  readonly metrics?: PluginMetrics;
  /** Re-lists a repository a webhook changed and has its ApplicationSets refreshed. @default none */
  readonly onListingChanged?: (repository: string) => Promise<void>;
}

/** The server, not yet listening: `await app.listen(...)` or `app.inject(...)`, and `app.close()` after. */
export function buildServer(deps: PluginServerDeps): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(deps.logger ?? {}),
    // Argo CD may call through a path prefix; trailing slashes are a common slip in baseUrl.
    routerOptions: { ignoreTrailingSlash: true },
    clientErrorHandler: answerClientError,
    // A backstop for every route: Node.js drops a request not fully received in 30 s (Argo CD's own timeout is
    // 30 s too). The webhook has a shorter deadline of its own (webhook-intake.ts).
    requestTimeout: 30_000,
    frameworkErrors: answerFrameworkError,
    // gracefulClosePlugin answers requests that arrive while closing, in the catalogue's shape (SHUTTING_DOWN).
    return503OnClosing: false,
  });
  const metrics = deps.metrics ?? new PluginMetrics();
  const clock = deps.clock ?? systemClock;
  const allowlist = new RepositoryAllowlist(deps.config.repositories);
  const readiness = new Readiness(deps.config.repositories, deps.pullRequests);
  // A poll's successful listing counts for readiness too, so the probe need not ask GitHub for it again.
  const pullRequests: PullRequestSource = {
    listOpenPullRequests: async (repository) => {
      const listing = await deps.pullRequests.listOpenPullRequests(repository);
      readiness.listedOnce(repository);
      return listing;
    },
    invalidate: (repository) => deps.pullRequests.invalidate(repository),
  };

  app.register(errorHandlerPlugin);
  app.register(httpMetricsPlugin, { metrics });
  app.register(gracefulClosePlugin);
  app.register(
    async (routes) => {
      await routes.register(healthRoutes, { readiness });
      await routes.register(metricsRoute, { metrics });
      await routes.register(getParamsRoute, {
        pluginToken: deps.config.pluginToken,
        allowlist,
        pullRequests,
        clock,
        metrics,
      });
      const secret = deps.config.webhookSecret;
      const webhookPath = deps.config.webhookPath ?? PLUGIN_SERVER_DEFAULTS.webhookPath;
      if (!secret) {
        // Without a secret nothing can be verified, so nothing is received; a delivery learns why, not "no route".
        routes.post(webhookPath, async () => {
          throw new PluginError(
            'WEBHOOK_DISABLED',
            "webhooks are off on this server: set GITHUB_WEBHOOK_SECRET (or GITHUB_WEBHOOK_SECRET_FILE) to the webhook's secret to receive them here",
          );
        });
      } else {
        await routes.register(webhookRoute, {
          path: webhookPath,
          secret,
          allowlist,
          pullRequests,
          limits: { ...deps.webhookLimits, clock },
          ...(deps.onListingChanged && { onListingChanged: deps.onListingChanged }),
        });
      }
    },
    { prefix: deps.config.basePath },
  );
  return app;
}
