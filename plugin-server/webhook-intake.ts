/**
 * What the webhook route reads before it knows the sender holds GITHUB_WEBHOOK_SECRET. The signature covers the
 * whole body, so the body must be read before anything is verified; until then the sender is anyone who can
 * reach the Ingress. So, in this order:
 *
 * 1. a request without an `X-Hub-Signature-256` header is refused before its body is read;
 * 2. a declared `Content-Length` over the limit is refused before its body is read;
 * 3. at most `maxConcurrentBodies` bodies are read at once; more are answered 503 at once (GitHub shows the
 *    failed delivery and it can be redelivered; the preview still follows at Argo CD's next poll);
 * 4. a body is read only up to `maxBodyBytes`, and only until `bodyTimeoutMs` has passed;
 * 5. a refused request's connection is closed after the answer, so its unread bytes are never read.
 *
 * So the memory unauthenticated callers can hold is at most `maxConcurrentBodies × maxBodyBytes`, and a socket at
 * most `bodyTimeoutMs`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readBoundedBody } from './bounded-body.ts';
import type { Clock } from './clock.ts';
import { PluginError } from './errors.ts';

export interface WebhookLimits {
  /**
   * The largest body read. GitHub caps webhook payloads at 25 MB, but a `pull_request` event is far smaller: its
   * largest parts are the pull request's body (at most 65,536 characters, so at most 256 KiB of UTF-8) and the
   * repository and user objects (a few KiB each), typically 20-60 KiB in all. 1 MiB holds the largest possible
   * one with room to spare; the events that can be larger (push, with many commits) are ignored by this route.
   * @default 1 MiB
   */
  readonly maxBodyBytes: number;
  /**
   * How long a body may take to arrive. GitHub gives up on a delivery after 10 seconds, so a body still arriving
   * then is not GitHub's.
   * @default 10 s
   */
  readonly bodyTimeoutMs: number;
  /**
   * Bodies read at once, before their signature is checked. GitHub delivers a repository's events one at a
   * time or nearly; eight leaves room for several repositories and redeliveries, and bounds what forged
   * deliveries can hold to 8 MiB.
   * @default 8
   */
  readonly maxConcurrentBodies: number;
  /** Runs the body deadline. */
  readonly clock: Clock;
}

export const DEFAULT_WEBHOOK_LIMITS: Omit<WebhookLimits, 'clock'> = {
  maxBodyBytes: 1024 * 1024,
  bodyTimeoutMs: 10_000,
  maxConcurrentBodies: 8,
};

/** Installs the limits on the webhook's plugin scope (call it inside that plugin, before its route). */
export function limitWebhookIntake(app: FastifyInstance, limits: WebhookLimits): void {
  const reading = new Set<FastifyRequest>();
  const release = (request: FastifyRequest) => reading.delete(request);

  app.addHook('onRequest', async (request, reply) => {
    // Whatever is refused here is refused before its body is read; the connection is closed after the answer.
    const refuse = (error: PluginError) => {
      reply.header('connection', 'close');
      return error;
    };
    const signature = request.headers['x-hub-signature-256'];
    if (typeof signature !== 'string' || signature === '') {
      throw refuse(new PluginError('WEBHOOK_SIGNATURE_INVALID', 'X-Hub-Signature-256 is missing or does not match GITHUB_WEBHOOK_SECRET'));
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limits.maxBodyBytes) {
      throw refuse(new PluginError('BODY_TOO_LARGE', `request body: ${declared} bytes is more than ${limits.maxBodyBytes}`));
    }
    if (reading.size >= limits.maxConcurrentBodies) {
      reply.header('retry-after', '1');
      throw refuse(new PluginError('WEBHOOK_BUSY', `${limits.maxConcurrentBodies} webhook deliveries are being received already: try again`));
    }
    reading.add(request);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // A body left unread (refused, timed out, too large) is not read on: the connection ends with the answer.
    if (!request.raw.complete) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request) => {
    release(request);
    if (!request.raw.complete) request.raw.socket?.destroy();
  });
  app.addHook('onRequestAbort', async (request) => {
    release(request);
  });

  // The signature covers the raw bytes: the body reaches the route as the exact string received.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (request, payload, done) => {
    readBoundedBody(payload, { maxBytes: limits.maxBodyBytes, deadlineMs: limits.bodyTimeoutMs, clock: limits.clock }).then(
      (body) => {
        // Read and bounded: the signature check that follows takes no time worth a slot.
        release(request);
        done(null, body.toString('utf8'));
      },
      (error: Error) => done(error, undefined),
    );
  });
}
