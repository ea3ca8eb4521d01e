/**
 * Liveness and readiness. Liveness never asks GitHub. Readiness is "can answer truthfully" (readiness.ts): not
 * ready, with what it waits for, until every repository has been listed once; after that it never asks GitHub
 * again. While the server shuts down, Fastify answers every new request, these included, with 503.
 */
import type { FastifyPluginAsync } from 'fastify';
import { PLUGIN_ROUTES } from '../../contract/plugin-routes.ts';
import type { Readiness } from '../readiness.ts';

const STATUS_REPLY = { type: 'object', required: ['status'], properties: { status: { type: 'string' }, waitingFor: { type: 'string' } } } as const;

export interface HealthRouteOptions {
  readonly readiness: Readiness;
}

export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, options) => {
  app.get(PLUGIN_ROUTES.liveness, { schema: { response: { 200: STATUS_REPLY } } }, async () => ({ status: 'ok' }));
  app.get(PLUGIN_ROUTES.readiness, { schema: { response: { 200: STATUS_REPLY, 503: STATUS_REPLY } } }, async (_request, reply) => {
    const state = await options.readiness.check();
    if (state.ready) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready', waitingFor: state.waitingFor });
  });
};
