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
import { loadControllerConfig } from './config.ts';
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
export async function startController(
  env: Readonly<Record<string, string | undefined>>,
  options: StartControllerOptions = {},
): Promise<RunningController> {
  const config = loadControllerConfig(env);
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
  let synced = false;
  const app = buildControllerServer({
    refresher,
    allowlist,
    metrics,
    ready: () => synced,
    logger: { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
  });
  log = app.log;
  void applicationSets.start().then(() => {
    synced = true;
  });
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    { kubernetes: connection.source, namespace: config.argocdNamespace, pluginConfigMap: config.pluginConfigMap, repositories: config.repositories },
    'dynenv controller ready',
  );
  return {
    app,
    stop: async () => {
      await app.close();
      await applicationSets.stop();
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
