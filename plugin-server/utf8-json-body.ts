/**
 * The JSON body parser of getparams. JSON is UTF-8 (RFC 8259): a body whose bytes are not is refused with a 400
 * instead of being decoded with replacement characters, as Node's default decoding would. A label, branch or
 * repository garbled that way matches nothing, and a 200 with fewer parameter sets makes Argo CD delete previews.
 * Everything else is Fastify's own parser: empty bodies, syntax errors, and `__proto__` or `constructor.prototype`
 * keys are refused as before.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { PluginError } from './errors.ts';

/** Replaces the `application/json` parser of `app`'s scope (call it inside the route's plugin). */
export function parseJsonBodiesAsStrictUtf8(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new PluginError('INVALID_PARAMETER', 'request body: is not valid UTF-8 (JSON must be UTF-8 encoded)'), undefined);
      return;
    }
    parseJson(request, bytes.toString('utf8'), done);
  });
}
