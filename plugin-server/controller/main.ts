/**
 * `dynenv controller`: the side of the plugin server that talks to the Kubernetes API. It runs as a second
 * container of the plugin server's pod, with the only Kubernetes token of the pod, listening on loopback only.
 */
import type { FastifyInstance } from 'fastify';
import { KubernetesApiClient } from '../kubernetes/api-client.ts';
import { loadKubernetesConnection } from '../kubernetes/connection.ts';
import { Informer } from '../kubernetes/informer.ts';
import type { PluginLoggerOptions } from '../logging.ts';
import { RepositoryAllowlist } from '../repositories.ts';
import { buildControllerServer } from './app.ts';
import { ApplicationSetRefresher } from './application-set-refresher.ts';
import { loadGitHubAccess } from '../config.ts';
import { createGitHubClient } from '../github/client.ts';
import { GitHubPullRequestSource } from '../github/pull-request-source.ts';
import { systemClock } from '../clock.ts';
import { loadControllerConfig } from './config.ts';
import type { ApplicationObject } from './status/application-state.ts';
import { StatusReporter } from './status/status-reporter.ts';
import { ControllerMetrics } from './metrics.ts';
import { applicationSetsPath, type ApplicationSetObject } from './plugin-application-sets.ts';

export interface RunningController {
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

export interface StartControllerOptions {
  /** Where log lines go. @default standard output */
  readonly logStream?: PluginLoggerOptions['stream'];
  /** Metrics of the process too. @default true */
  readonly defaultMetrics?: boolean;
}

/** Starts the controller configured by `env`; resolves once it listens (the watches list in the background). */
export async function startController(env: Readonly<Record<string, string | undefined>>, options: StartControllerOptions = {}): Promise<RunningController> {
  const config = loadControllerConfig(env);
  const github = loadGitHubAccess(env);
  const connection = loadKubernetesConnection(env);
  const client = new KubernetesApiClient(connection);
  const metrics = new ControllerMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const allowlist = new RepositoryAllowlist(config.repositories);
  let log: FastifyInstance['log'] | undefined;
  const applicationSets = new Informer<ApplicationSetObject>(client, {
    path: applicationSetsPath(config.argocdNamespace),
    onError: (error, retryInMs) => log?.warn({ resource: 'applicationsets', error: error.message, retryInMs }, 'Kubernetes watch failed'),
  });
  const refresher = new ApplicationSetRefresher({
    client,
    applicationSets,
    namespace: config.argocdNamespace,
    pluginConfigMap: config.pluginConfigMap,
    allowlist,
    logger: { info: (o, m) => log?.info(o, m), warn: (o, m) => log?.warn(o, m) },
    onPatch: (outcome) => metrics.refreshPatches.inc({ outcome }),
  });
  const warn = (o: object, m: string) => log?.warn(o, m);
  // Without GitHub credentials the controller only refreshes; with them it also reports the previews' status.
  let reporter: StatusReporter | undefined;
  let applications: Informer<ApplicationObject> | undefined;
  if (github.credentials) {
    const octokit = createGitHubClient({ apiUrl: github.apiUrl, credentials: github.credentials, logger: { warn, debug: (o, m) => log?.debug(o, m) } });
    applications = new Informer<ApplicationObject>(client, {
      path: `/apis/argoproj.io/v1alpha1/namespaces/${config.argocdNamespace}/applications`,
      labelSelector: 'app.kubernetes.io/managed-by=dynenv',
      onError: (error, retryInMs) => warn({ resource: 'applications', error: error.message, retryInMs }, 'Kubernetes watch failed'),
    });
    reporter = new StatusReporter({
      octokit,
      applications,
      applicationSets,
      pullRequests: new GitHubPullRequestSource({ octokit, clock: systemClock }),
      allowlist,
      ...(config.argocdUrl !== undefined && { argocdUrl: config.argocdUrl }),
      logger: { info: (o, m) => log?.info(o, m), warn },
      onWrites: (writes) => metrics.githubWrites.inc(writes),
    });
    const expiries = reporter.expiries;
    metrics.countPreviews(() => expiries.values());
  }
  let synced = false;
  const app = buildControllerServer({
    refresher,
    ...(reporter && { onRepositoryChanged: (repository: string) => reporter!.repositoryChanged(repository) }),
    allowlist,
    metrics,
    ready: () => synced,
    logger: { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
  });
  log = app.log;
  void Promise.all([applicationSets.start(), applications?.start()]).then(async () => {
    synced = true;
    await reporter?.start();
  });
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    {
      kubernetes: connection.source,
      namespace: config.argocdNamespace,
      pluginConfigMap: config.pluginConfigMap,
      repositories: config.repositories,
      status: github.credentials ? `reported to ${github.apiUrl}` : 'off (no GitHub credentials)',
    },
    'dynenv controller ready',
  );
  return {
    app,
    stop: async () => {
      await app.close();
      reporter?.stop();
      await Promise.all([applicationSets.stop(), applications?.stop()]);
      client.close();
    },
  };
}

/** Runs the controller until SIGTERM or SIGINT; resolves to the exit code. */
export async function runController(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const controller = await startController(env);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  controller.app.log.info({ signal }, 'shutting down');
  await controller.stop();
  return 0;
}
