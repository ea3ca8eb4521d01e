/**
 * A graceful close that ends: once the server starts closing, every answer carries `Connection: close`, so a
 * keep-alive connection whose request was in flight is released after its answer instead of holding close()
 * open until the client gives up on it. A request that still arrives (pipelined behind one in flight) is answered
 * SHUTTING_DOWN in the catalogue's shape (Fastify's own 503 for it is turned off in app.ts).
 */
import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { PluginError } from './errors.ts';

export const gracefulClosePlugin = fastifyPlugin(async (app: FastifyInstance) => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new PluginError('SHUTTING_DOWN', 'the plugin server is shutting down: ask again, another replica or the restarted server answers');
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
});
