/**
 * Errors from the system rather than from dynenv (a port taken, a file missing, a server that refuses the
 * connection, a program not installed), said in one line with what to do. Without this they would reach the
 * user as "a bug in dynenv" with a stack trace.
 */

interface SystemError extends Error {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly address?: string;
  readonly port?: number;
  readonly hostname?: string;
}

/** One line for `error` when it (or an error it wraps, as `fetch failed` does) comes from the system. */
export function describeSystemError(error: unknown): string | undefined {
  const system = findSystemError(error);
  if (!system) return undefined;
  const where = system.address !== undefined ? `${system.address}${system.port !== undefined ? `:${system.port}` : ''}` : system.hostname;
  switch (system.code) {
    case 'EADDRINUSE':
      return `${where ?? 'the address'} is already in use: stop the process listening there, or choose another port`;
    case 'ECONNREFUSED':
      return `cannot connect to ${where ?? 'the server'}: connection refused. Is the server running, and is its URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host name${system.hostname ? ` ${system.hostname}` : ''}: check the URL and the network`;
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${where ?? 'the server'} (${system.code}): check the URL and the network, then run again`;
    case 'ENOENT':
      if (system.syscall?.startsWith('spawn')) return `${system.path ?? 'a program'} is not installed (or not on PATH): install it, then run again`;
      return `${system.path ?? 'a file'}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      if (system.syscall === 'listen') return `not allowed to listen on ${where ?? 'that port'}: choose a port above 1023, or run with the right to bind it`;
      return `${system.path ?? 'a file'}: permission denied`;
    case 'EISDIR':
      return `${system.path ?? 'a path'}: is a directory, where a file was expected`;
    case 'ENOTDIR':
      return `${system.path ?? 'a path'}: a file is in the way where a directory was expected`;
    case 'ENOSPC':
      return `no space left on the device${system.path ? ` writing ${system.path}` : ''}: free some space, then run again`;
    case 'EROFS':
      return `${system.path ?? 'a path'}: the file system is read-only`;
    default:
      return undefined;
  }
}

/**
 * Why a connection to a server failed, in a few words (`connection refused`, `no such host api.example.com`),
 * when `error` or one of its causes says; for messages that name the server themselves.
 */
export function describeConnectionFailure(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const { code, hostname } = current as Partial<SystemError>;
    if (typeof code !== 'string') continue;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `no such host${hostname ? ` ${hostname}` : ''}`;
    if (code === 'ECONNRESET') return 'the connection was reset';
    if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'no answer in time';
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'no route to the host';
    if (/CERT|UNABLE_TO_VERIFY|SELF_SIGNED/.test(code)) {
      return `its TLS certificate is not trusted (${code}); for a private CA, set NODE_EXTRA_CA_CERTS to the CA's PEM file`;
    }
  }
  return undefined;
}

/** The error, or the first of its causes, that carries a system error code (`ECONNREFUSED`…). */
function findSystemError(error: unknown): SystemError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code = (current as Partial<SystemError>).code;
    // Node's own ERR_* codes mean a misuse of an API (a bug), not the system's answer.
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && !code.startsWith('ERR')) return current as SystemError;
  }
  return undefined;
}
