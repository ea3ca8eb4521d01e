/**
 * Bearer-token authentication of Argo CD's calls. Argo CD sends `Authorization: Bearer <token>` with the token of
 * the plugin's ConfigMap (trimmed), or no header at all when that token is empty. Unlike the reference plugins,
 * this accepts exactly one scheme and one token, compares in constant time, and always answers JSON.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { PluginError } from './errors.ts';

/** Checks `Authorization` against the plugin token; throws a 401 or 403 PluginError when it does not match. */
export function createBearerTokenCheck(pluginToken: string): (request: FastifyRequest) => Promise<void> {
  // Comparing fixed-length digests keeps the comparison constant-time whatever length was sent.
  const expected = digest(pluginToken);
  return async (request) => {
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      throw new PluginError(
        'UNAUTHENTICATED',
        'missing Authorization header: Argo CD sends "Bearer <token>" only when the plugin ConfigMap\'s token resolves to a non-empty value',
      );
    }
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match) {
      throw new PluginError('UNAUTHENTICATED', 'malformed Authorization header: expected exactly "Bearer <token>"');
    }
    const token = match[1] ?? '';
    if (!timingSafeEqual(digest(token), expected)) {
      // Argo CD sends the reference itself when the Secret lacks the key: say so, without echoing it.
      const hint = token.startsWith('$')
        ? ': it looks like an unresolved Argo CD secret reference ($<secret>:<key>); check that the key exists in the Secret'
        : '';
      throw new PluginError('FORBIDDEN', `invalid plugin token${hint}`);
    }
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
