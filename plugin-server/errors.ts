/**
 * The one catalogue of what the plugin server answers when it does not answer parameters. Every non-2xx reply is
 * `{"message": "...", "code": "..."}`: Argo CD shows `message` in the ApplicationSet's `ErrorOccurred` condition
 * and keeps the existing Applications, so a message says what is wrong and what to change.
 */

/** Error codes and the HTTP status each one answers with. */
export const ERROR_STATUS = {
  /** No usable `Authorization: Bearer <token>` header. */
  UNAUTHENTICATED: 401,
  /** A well-formed bearer token that is not the plugin token. */
  FORBIDDEN: 403,
  /** The request body or one of `input.parameters` is invalid. */
  INVALID_PARAMETER: 400,
  /** The repository asked about is not in DYNENV_REPOS. */
  REPOSITORY_NOT_ALLOWED: 403,
  /** GitHub says the repository does not exist, or the credentials cannot see it. */
  REPOSITORY_NOT_FOUND: 404,
  /** GitHub refused the server's own credentials. */
  GITHUB_CREDENTIALS_REJECTED: 502,
  /** GitHub's rate limit is spent (primary or secondary). */
  GITHUB_RATE_LIMITED: 503,
  /** GitHub failed, answered nonsense, or did not answer in time. */
  GITHUB_UNAVAILABLE: 503,
  /**
   * The server is stopping (SIGTERM): a request that reaches it then is not answered with parameters; Argo CD
   * keeps its Applications and asks again, and another replica or the restarted pod answers.
   */
  SHUTTING_DOWN: 503,
  /** GitHub is failing and the last good listing is older than the bound. */
  LAST_KNOWN_GOOD_EXPIRED: 503,
  /** The webhook's X-Hub-Signature-256 is missing or wrong. */
  WEBHOOK_SIGNATURE_INVALID: 401,
  /** A delivery to the webhook path of a server without GITHUB_WEBHOOK_SECRET. */
  WEBHOOK_DISABLED: 404,
  /** No such route. */
  NOT_FOUND: 404,
  /** Request body over the limit. */
  BODY_TOO_LARGE: 413,
  /** Request body that is not JSON. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Bytes that are not an HTTP request Node.js can parse (framing, header bytes, the URL). */
  MALFORMED_REQUEST: 400,
  /** Request headers over Node.js's limit. */
  HEADERS_TOO_LARGE: 431,
  /** A bug: logged with its stack, answered without it. */
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error the server answers with its own status and message (anything else is an INTERNAL 500). */
export class PluginError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PluginError';
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The JSON body of every error reply. */
export interface ErrorReply {
  message: string;
  code: ErrorCode;
}

/** JSON schema of {@link ErrorReply}, for route reply schemas. */
export const ERROR_REPLY_SCHEMA = {
  type: 'object',
  required: ['message', 'code'],
  properties: { message: { type: 'string' }, code: { type: 'string' } },
} as const;

/** `input.parameters.<name>: <why>`: a 400 that names the parameter, as Argo CD users see it. */
export function invalidParameter(name: string, why: string): PluginError {
  return new PluginError('INVALID_PARAMETER', `input.parameters.${name}: ${why}`);
}
