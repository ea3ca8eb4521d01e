/**
 * The controller's HTTP side, on loopback: `POST /api/v1/refresh` (the plugin server container says which
 * repository a webhook changed), health, readiness (the watches have listed once) and metrics.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { loggerOptions, type PluginLoggerOptions } from '../logging.ts';
import type { RepositoryAllowlist } from '../repositories.ts';
import type { ApplicationSetRefresher } from './application-set-refresher.ts';
import type { ControllerMetrics } from './metrics.ts';
import { CONTROLLER_ROUTES } from '../../contract/plugin-routes.ts';

export interface ControllerServerDeps {
  readonly refresher: ApplicationSetRefresher;
  /** Told too when a repository changed, so the previews' comments follow labels and activity. @default none */
  readonly onRepositoryChanged?: (repository: string) => void;
  readonly allowlist: RepositoryAllowlist;
  readonly metrics: ControllerMetrics;
  /** True once every watch has listed. */
  readonly ready: () => boolean;
  /** @default info level to standard output */
  readonly logger?: PluginLoggerOptions | false;
}

const REFRESH_BODY = {
  type: 'object',
  required: ['repository'],
  additionalProperties: false,
  properties: { repository: { type: 'string', maxLength: 200 } },
} as const;

export function buildControllerServer(deps: ControllerServerDeps): FastifyInstance {
  // Its only callers are the plugin server and probes: on shutdown, nothing is worth waiting for.
  const app = Fastify({ logger: loggerOptions(deps.logger ?? {}), bodyLimit: 4096, forceCloseConnections: true });
  app.get(CONTROLLER_ROUTES.liveness, async () => ({ status: 'ok' }));
  app.get(CONTROLLER_ROUTES.readiness, async (_request, reply) => (deps.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'listing' })));
  app.get(CONTROLLER_ROUTES.metrics, async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  app.post<{ Body: { repository: string } }>(CONTROLLER_ROUTES.refresh, { schema: { body: REFRESH_BODY } }, async (request, reply) => {
    // The port is open to the metrics scraper; only the plugin server container of the same pod may ask this.
    if (!isLoopback(request.socket.remoteAddress)) return reply.code(403).send({ message: 'refresh is only taken from the same pod' });
    const repository = deps.allowlist.canonical(request.body.repository);
    if (!repository) return reply.code(403).send({ message: `${request.body.repository} is not in DYNENV_REPOS` });
    deps.onRepositoryChanged?.(repository);
    return { applicationSets: await deps.refresher.refresh(repository) };
  });
  return app;
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}
