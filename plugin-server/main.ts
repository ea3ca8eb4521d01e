/**
 * The plugin server process: configuration from the environment (validated before anything starts), GitHub
 * client, listen, and a graceful shutdown on SIGTERM (what Kubernetes sends): requests in flight finish, new ones
 * get 503, then the process exits 0.
 */
import { pathToFileURL } from 'node:url';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { UserError } from '../src/errors.ts';
import { buildServer } from './app.ts';
import { createControllerNotice } from './controller-notice.ts';
import { systemClock, type Clock } from './clock.ts';
import { loadPluginServerConfig, type ReadSecretFile } from './config.ts';
import { createGitHubClient } from './github/client.ts';
import { GitHubPullRequestSource } from './github/pull-request-source.ts';
import type { PluginLoggerOptions } from './logging.ts';
import { PluginMetrics } from './metrics.ts';

export interface StartPluginServerOptions {
  /** Reads `*_FILE` secrets. @default fs.readFileSync */
  readonly readFile?: ReadSecretFile;
  /** Where log lines go. @default standard output */
  readonly logStream?: PluginLoggerOptions['stream'];
  /** Time for deadlines, waits and ages (tests move a ManualClock). @default the system clock */
  readonly clock?: Clock;
}

/** Starts the server configured by `env` and resolves once it listens. Throws ConfigurationError on bad settings. */
export async function startPluginServer(
  env: Readonly<Record<string, string | undefined>>,
  options: StartPluginServerOptions = {},
): Promise<FastifyInstance> {
  const config = loadPluginServerConfig(env, options.readFile);
  const metrics = new PluginMetrics({ defaultMetrics: true });
  const clock = options.clock ?? systemClock;
  // The GitHub client logs through the server's logger, which exists only once the server is built.
  let log: FastifyBaseLogger | undefined;
  const octokit = createGitHubClient({
    apiUrl: config.githubApiUrl,
    credentials: config.githubCredentials,
    metrics,
    clock,
    logger: {
      warn: (object, message) => log?.warn(object, message),
      debug: (object, message) => log?.debug(object, message),
    },
  });
  const pullRequests = new GitHubPullRequestSource({
    octokit,
    clock,
    lastKnownGoodMaxAgeMs: config.lastKnownGoodMaxAgeMs,
    timeoutMs: config.githubTimeoutMs,
  });
  const onListingChanged =
    config.controllerUrl === undefined
      ? undefined
      : createControllerNotice({
          controllerUrl: config.controllerUrl,
          pullRequests,
          logger: { info: (o, m) => log?.info(o, m), warn: (o, m) => log?.warn(o, m) },
        });
  const app = buildServer({
    config,
    pullRequests,
    metrics,
    clock,
    ...(onListingChanged && { onListingChanged }),
    logger: { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
  });
  log = app.log;
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    {
      repositories: config.repositories,
      basePath: config.basePath || '/',
      webhook: config.webhookSecret !== undefined,
      controller: config.controllerUrl ?? 'none',
      githubApiUrl: config.githubApiUrl,
      githubAuth: config.githubCredentials.kind,
    },
    'dynenv plugin server ready',
  );
  return app;
}

/** Runs the server until SIGTERM or SIGINT, then shuts down gracefully; resolves to the exit code. */
export async function runPluginServer(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const app = await startPluginServer(env);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  app.log.info({ signal }, 'shutting down: finishing the requests in flight');
  await app.close();
  app.log.info('stopped');
  return 0;
}

// `node --import tsx plugin-server/main.ts` runs the server directly (the container image does).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runPluginServer(process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`dynenv plugin server: ${error instanceof UserError ? error.message : String((error as Error).stack ?? error)}\n`);
      process.exit(error instanceof UserError ? error.exitCode : 70);
    },
  );
}
