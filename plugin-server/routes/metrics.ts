/** `GET /metrics`: the Prometheus exposition of the server's registry. */
import type { FastifyPluginAsync } from 'fastify';
import type { PluginMetrics } from '../metrics.ts';
import { PLUGIN_ROUTES } from '../../contract/plugin-routes.ts';

export const metricsRoute: FastifyPluginAsync<{ readonly metrics: PluginMetrics }> = async (app, { metrics }) => {
  app.get(PLUGIN_ROUTES.metrics, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
