/**
 * Logger options for Fastify's pino: structured JSON lines, with every place a credential could travel redacted.
 * Fastify's request serializer already leaves headers out; the paths below keep it that way if a line ever
 * carries headers or configuration, whoever logs it.
 */
import type { FastifyServerOptions } from 'fastify';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'headers.authorization',
  'request.headers.authorization',
  'err.request.headers.authorization',
  'err.headers.authorization',
  'config.pluginToken',
  'config.webhookSecret',
  'config.githubCredentials',
  'pluginToken',
  'webhookSecret',
  'githubCredentials',
  'token',
  'privateKey',
];

export interface PluginLoggerOptions {
  /** Pino level. @default 'info' */
  readonly level?: string;
  /** Where lines go (tests capture them). @default standard output */
  readonly stream?: { write(line: string): void };
}

export function loggerOptions(options: PluginLoggerOptions | false): FastifyServerOptions['logger'] {
  if (options === false) return false;
  return {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    ...(options.stream ? { stream: options.stream } : {}),
  };
}
