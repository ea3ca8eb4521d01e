/**
 * The answers to requests that never reach a route or the error handler: bytes Node.js cannot parse as HTTP, and
 * URLs Fastify's router cannot decode. Without these they get Fastify's own bodies (`"message":"Client Error"`);
 * here they get the catalogue's `{"message", "code"}` like every other refusal, saying what was wrong.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, type ErrorCode, type ErrorReply } from './errors.ts';

/** Fastify's `clientErrorHandler`: answers on the raw socket, then closes it. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // Nobody to answer: the client hung up, or the socket is already gone.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [code, message]: [ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['HEADERS_TOO_LARGE', 'request headers too large']
      : ['MALFORMED_REQUEST', `malformed HTTP request: ${describeParseError(error)}`];
  const status = ERROR_STATUS[code];
  const body = JSON.stringify({ message, code });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

// llhttp's reason ("Invalid header value char") says more than its code (HPE_INVALID_HEADER_TOKEN).
function describeParseError(error: NodeJS.ErrnoException): string {
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' && reason !== '' ? reason : (error.code ?? error.message);
}

/** Fastify's `frameworkErrors`: a URL the router cannot decode (`%zz`), answered like any malformed request. */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const body: ErrorReply = { message: `malformed HTTP request: ${error.message}`, code: 'MALFORMED_REQUEST' };
  void reply.code(ERROR_STATUS.MALFORMED_REQUEST).send(body);
}
