/**
 * Liveness and readiness. Neither asks GitHub: a GitHub outage is what the last good listing is for, and taking
 * the pod out of service would turn it into connection errors. While the server shuts down, Fastify answers
 * every new request, these included, with 503.
 */
import type { FastifyPluginAsync } from 'fastify';
import { PLUGIN_ROUTES } from '../../contract/plugin-routes.ts';

const STATUS_REPLY = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(PLUGIN_ROUTES.liveness, { schema: { response: { 200: STATUS_REPLY } } }, async () => ({ status: 'ok' }));
  app.get(PLUGIN_ROUTES.readiness, { schema: { response: { 200: STATUS_REPLY } } }, async () => ({ status: 'ready' }));
};
