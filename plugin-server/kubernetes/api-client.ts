/**
 * JSON requests and watch streams against the Kubernetes API, over node:http(s) with the connection's TLS
 * settings (global fetch cannot take a cluster CA on Node 20 without undici's Agent). Every failure is a
 * KubernetesApiError carrying the status and the API's own `reason` and `message`, never a credential.
 */
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubernetesConnection } from './connection.ts';

/** A refused or failed call; `status` 0 when no answer came. */
export class KubernetesApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubernetesApiError';
  }
}

/** One event of a watch stream. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

/** An open watch: stop it with `abort()`; `ended` resolves when the stream ends, rejects when it fails. */
export interface WatchStream {
  abort(): void;
  readonly ended: Promise<void>;
}

export interface RequestOptions {
  /** @default 'application/json' for a body */
  readonly contentType?: string;
  /** @default 30_000 */
  readonly timeoutMs?: number;
}

export class KubernetesApiClient {
  private readonly agent: http.Agent;

  constructor(readonly connection: KubernetesConnection) {
    const { tls } = connection;
    this.agent = connection.server.startsWith('https:')
      ? new https.Agent({
          keepAlive: true,
          ...(tls.ca !== undefined && { ca: tls.ca }),
          ...(tls.cert !== undefined && { cert: tls.cert }),
          ...(tls.key !== undefined && { key: tls.key }),
          ...(tls.serverName !== undefined && { servername: tls.serverName }),
          rejectUnauthorized: !tls.insecureSkipVerify,
        })
      : new http.Agent({ keepAlive: true });
  }

  /** GET/PATCH/DELETE/POST `path`; the parsed JSON answer of a 2xx, else a KubernetesApiError. */
  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, body, options);
    const text = await readAll(response.message);
    const parsed = parseJson(text);
    if (response.status < 200 || response.status > 299) throw apiError(method, path, response.status, parsed, text);
    return parsed as T;
  }

  /** Opens `GET path` as a watch and calls `onEvent` for each line; the caller decides what ends it. */
  async watch(path: string, onEvent: (event: WatchEvent) => void, idleTimeoutMs: number): Promise<WatchStream> {
    const response = await this.send('GET', path, undefined, { timeoutMs: idleTimeoutMs });
    if (response.status !== 200) {
      const text = await readAll(response.message);
      throw apiError('GET', path, response.status, parseJson(text), text);
    }
    const ended = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: response.message, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (line.trim() === '') return;
        const event = parseJson(line) as WatchEvent | undefined;
        if (event && typeof event === 'object' && typeof event.type === 'string') onEvent(event);
      });
      const lost = (error?: Error) => reject(new KubernetesApiError(0, 'ConnectionLost', `watch ${pathOnly(path)}: ${error?.message ?? 'connection lost'}`));
      // readline passes its input's errors on: both must be heard, or a reset crashes the process.
      response.message.on('error', lost);
      lines.on('error', lost);
      response.message.on('aborted', () => lost());
      lines.on('close', () => (response.message.complete ? resolve() : lost()));
    });
    ended.catch(() => undefined);
    return { abort: () => response.request.destroy(), ended };
  }

  /** Closes idle connections (tests and shutdown). */
  close(): void {
    this.agent.destroy();
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<{ status: number; message: http.IncomingMessage; request: http.ClientRequest }> {
    const url = new URL(path, `${this.connection.server}/`);
    const authorization = await this.connection.authorization();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const transport = url.protocol === 'https:' ? https : http;
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Accept: 'application/json',
            'User-Agent': 'dynenv-controller',
            ...(authorization !== undefined && { Authorization: authorization }),
            ...(payload !== undefined && {
              'Content-Type': options.contentType ?? 'application/json',
              'Content-Length': Buffer.byteLength(payload),
            }),
          },
        },
        (message) => resolve({ status: message.statusCode ?? 0, message, request }),
      );
      // No byte for this long: the connection is dead (a watch gets bookmarks or ends well before it).
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
      request.on('error', (error) => reject(new KubernetesApiError(0, 'ConnectionFailed', `${method} ${pathOnly(path)}: ${error.message}`)));
      if (payload !== undefined) request.write(payload);
      request.end();
    });
  }
}

function apiError(method: string, path: string, status: number, parsed: unknown, text: string): KubernetesApiError {
  const statusObject = parsed && typeof parsed === 'object' ? (parsed as { reason?: unknown; message?: unknown }) : {};
  const reason = typeof statusObject.reason === 'string' ? statusObject.reason : String(status);
  const message = typeof statusObject.message === 'string' ? statusObject.message : text.slice(0, 200);
  return new KubernetesApiError(status, reason, `${method} ${pathOnly(path)}: ${status} ${reason}: ${message}`);
}

/** The path without its query (which holds nothing secret, but makes messages long). */
function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readAll(message: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
