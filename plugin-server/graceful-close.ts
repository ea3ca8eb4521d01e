/**
 * A graceful close that ends: once the server starts closing, every answer carries `Connection: close`, so a
 * keep-alive connection whose request was in flight is released after its answer instead of holding close()
 * open until the client gives up on it.
 */
import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

export const gracefulClosePlugin = fastifyPlugin(async (app: FastifyInstance) => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
});
