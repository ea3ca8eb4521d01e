/**
 * The smallest Kubernetes API client that the database-credentials Job needs: JSON over HTTPS with the pod's
 * ServiceAccount token, trusting the cluster's CA. (No client library: two requests do not earn one.)
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { UserError } from '../../contract/errors.ts';

/** Where a pod finds its ServiceAccount's token, CA and namespace. */
export const SERVICE_ACCOUNT_DIRECTORY = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubernetesApi {
  /** API server base URL, e.g. "https://10.96.0.1:443". */
  readonly url: string;
  /** Bearer token. */
  readonly token: string;
  /** CA certificate(s) of the API server (PEM). @default the system's */
  readonly ca?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** The API as seen from inside a pod; a clear error when run elsewhere. */
export async function inClusterApi(env: NodeJS.ProcessEnv = process.env, directory = SERVICE_ACCOUNT_DIRECTORY): Promise<KubernetesApi> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new UserError('KUBERNETES_SERVICE_HOST is not set: this command runs inside a Kubernetes pod');
  const read = async (file: string) => {
    try {
      return await readFile(`${directory}/${file}`, 'utf8');
    } catch (error) {
      throw new UserError(
        `${directory}/${file}: cannot read the pod's ServiceAccount credentials (${(error as Error).message}); is automountServiceAccountToken off?`,
      );
    }
  };
  return { url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, token: (await read('token')).trim(), ca: await read('ca.crt') };
}

/** One JSON request; the parsed body (or text) and status, whatever the status. */
export function apiRequest(api: KubernetesApi, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResponse> {
  const url = new URL(path, api.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method,
        ca: api.ca,
        timeout: 30_000,
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${api.token}`,
          ...(payload !== undefined && { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON (a proxy's error page): keep the text for the message.
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url.pathname}: no answer from the Kubernetes API in 30 s`)));
    request.on('error', (error) => reject(new UserError(`${method} ${url.pathname}: cannot reach the Kubernetes API at ${api.url}: ${error.message}`)));
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

/** The `message` of a Kubernetes Status answer, or the raw text. */
export function statusMessage(response: ApiResponse): string {
  const body = response.body;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${response.status}`;
}
