/**
 * The plugin server process: configuration from the environment (validated before anything starts), GitHub
 * client, listen, and a graceful shutdown on SIGTERM (what Kubernetes sends): requests in flight finish, new ones
 * get 503, then the process exits 0.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { UserError } from '../contract/errors.ts';
import { redactCredentials } from '../contract/redact-credentials.ts';
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
export async function startPluginServer(env: Readonly<Record<string, string | undefined>>, options: StartPluginServerOptions = {}): Promise<FastifyInstance> {
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
  await listen(app, config.host, config.port);
  app.log.info(
    {
      repositories: config.repositories,
      basePath: config.basePath || '/',
      webhook: config.webhookSecret !== undefined,
      controller: config.controllerUrl ?? 'none',
      githubApiUrl: redactCredentials(config.githubApiUrl),
      githubAuth: config.githubCredentials.kind,
    },
    'dynenv plugin server ready',
  );
  return app;
}

/** Listens, saying in one line what to do when the address is taken or not allowed. */
async function listen(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    await app.close();
    if (code === 'EADDRINUSE') {
      throw new UserError(`cannot listen on ${host}:${port}: the port is already in use. Stop the process that holds it, or set PORT to a free port`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UserError(`cannot listen on ${host}:${port}: not allowed to bind that port. Set PORT to a port above 1023`);
    }
    if (code === 'EADDRNOTAVAIL')
      throw new UserError(`cannot listen on ${host}:${port}: no interface has that address. Set HOST to one of this machine's addresses, or 0.0.0.0`);
    throw error;
  }
}

/** Runs the server until SIGTERM or SIGINT, then shuts down gracefully; resolves to the exit code. */
export async function runPluginServer(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  // Listening for the signals before starting: one that arrives while the server starts (Kubernetes may stop a
  // pod at any moment) still ends in a graceful shutdown, not in the default action of the signal.
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const app = await startPluginServer(env);
  const received = await signal;
  app.log.info({ signal: received }, 'shutting down: finishing the requests in flight');
  await app.close();
  app.log.info('stopped');
  return 0;
}
