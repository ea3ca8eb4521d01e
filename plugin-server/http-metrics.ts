/** Counts and times every answered request, by route pattern (not URL, so the label set stays bounded). */
import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { PluginMetrics } from './metrics.ts';

export const httpMetricsPlugin = fastifyPlugin(async (app: FastifyInstance, { metrics }: { metrics: PluginMetrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
  });
});
