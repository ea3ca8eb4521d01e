/**
 * Turns every failure into the catalogue's JSON reply: PluginErrors as they are, Fastify's own errors (bad JSON,
 * body too large, wrong content type) into their codes, and anything else into a logged 500 whose stack never
 * reaches the client. Also answers unknown routes.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { PluginError, type ErrorCode, type ErrorReply } from './errors.ts';

function fromFastifyError(error: FastifyError): PluginError | undefined {
  const status = error.statusCode ?? 500;
  if (status === 413) return new PluginError('BODY_TOO_LARGE', `request body: ${error.message}`);
  if (status === 415) return new PluginError('UNSUPPORTED_MEDIA_TYPE', `request body: ${error.message}; send application/json`);
  if (status >= 400 && status < 500) return new PluginError('INVALID_PARAMETER', `request body: ${error.message}`);
  return undefined;
}

export const errorHandlerPlugin = fastifyPlugin(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof PluginError ? error : fromFastifyError(error);
    if (!known) {
      request.log.error({ err: error }, 'unexpected error (a bug in dynenv)');
      const body: ErrorReply = { message: 'internal error: the plugin server logged the details', code: 'INTERNAL' };
      return reply.code(500).send(body);
    }
    const level = known.statusCode >= 500 ? 'warn' : 'info';
    request.log[level]({ code: known.code, statusCode: known.statusCode }, known.message);
    const body: ErrorReply = { message: known.message, code: known.code };
    return reply.code(known.statusCode).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const code: ErrorCode = 'NOT_FOUND';
    return reply.code(404).send({ message: `no route ${request.method} ${request.url.split('?')[0]}`, code });
  });
});
