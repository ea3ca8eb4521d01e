/**
 * Argo CD's side of the plugin protocol, as docs/plugin-protocol.md reads it from Argo CD's code: the request its HTTP client
 * sends, and what the ApplicationSet controller makes of the answer. Tests call the real server with the first
 * and judge its answers with the second.
 */

/** What Argo CD does with an answer. */
export type ArgoOutcome =
  /** These parameter sets become Applications; owned Applications not among them are deleted. */
  | { readonly kind: 'sets'; readonly sets: ReadonlyArray<Record<string, unknown>> }
  /** Error condition; existing Applications are kept. */
  | { readonly kind: 'error'; readonly message: string };

/** docs/plugin-protocol.md's response table, row by row. */
export function interpretAsArgoCd(status: number, body: string): ArgoOutcome {
  if (status < 200 || status > 299) {
    let message = body;
    try {
      const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
      if (typeof parsed.message === 'string' && parsed.message !== '') message = parsed.message;
      else if (typeof parsed.error === 'string' && parsed.error !== '') message = parsed.error;
    } catch {
      // the raw body, then
    }
    return { kind: 'error', message: `API error with status code ${status}: ${message}` };
  }
  // 200 with an empty body, 204: zero sets, no error.
  if (body.trim() === '') return { kind: 'sets', sets: [] };
  let parsed: { output?: { parameters?: unknown } | null };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch (error) {
    return { kind: 'error', message: String(error) };
  }
  const parameters = parsed.output?.parameters;
  // {}, {"output":{}}, "parameters": null: zero sets, no error.
  if (parameters === undefined || parameters === null) return { kind: 'sets', sets: [] };
  if (!Array.isArray(parameters)) return { kind: 'error', message: 'parameters is not an array' };
  const sets: Array<Record<string, unknown>> = [];
  for (const element of parameters) {
    // [null] is one bogus set holding only Argo CD's own keys.
    if (element === null) sets.push({});
    else if (typeof element !== 'object' || Array.isArray(element)) return { kind: 'error', message: 'a parameter set is not an object' };
    else sets.push(element as Record<string, unknown>);
  }
  return { kind: 'sets', sets };
}

export interface ArgoCall {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
  readonly outcome: ArgoOutcome;
}

/**
 * Calls a plugin as Argo CD's client does: `POST <baseUrl>/api/v1/getparams.execute` (a `/` appended to the base
 * URL), JSON with a trailing newline, `Authorization: Bearer <token>` only for a non-empty token,
 * `Accept-Encoding: gzip` and no `Accept`, and a 30 s timeout.
 */
export async function callLikeArgoCd(baseUrl: string, token: string, applicationSetName: string, parameters?: Record<string, unknown>): Promise<ArgoCall> {
  const url = `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}api/v1/getparams.execute`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'argocd-applicationset',
    'Accept-Encoding': 'gzip',
  };
  if (token.trim() !== '') headers.Authorization = `Bearer ${token.trim()}`;
  const input = parameters === undefined ? {} : { parameters };
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: `${JSON.stringify({ applicationSetName, input })}\n`,
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  return { status: response.status, body, headers: response.headers, outcome: interpretAsArgoCd(response.status, body) };
}
