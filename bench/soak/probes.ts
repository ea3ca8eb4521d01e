/**
 * The mistakes a misconfigured Argo CD (or anyone reaching the Service) sends the plugin during the soak: each must
 * be answered with a 4xx JSON message, never a 5xx, and never a 2xx.
 */
export interface Probe {
  readonly name: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array<ArrayBuffer> | string;
  /** The status the server must answer with. */
  readonly status: number;
}

export function probes(pluginToken: string): Probe[] {
  const json = { 'content-type': 'application/json', authorization: `Bearer ${pluginToken}` };
  return [
    { name: 'wrong token', headers: { ...json, authorization: 'Bearer not-the-token' }, body: '{"input":{}}', status: 403 },
    { name: 'no token', headers: { 'content-type': 'application/json' }, body: '{"input":{}}', status: 401 },
    { name: 'not JSON', headers: json, body: '{"input":', status: 400 },
    { name: 'invalid UTF-8', headers: json, body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), status: 400 },
    { name: 'repository outside the allowlist', headers: json, body: '{"input":{"parameters":{"repo":"evil/secrets"}}}', status: 403 },
    { name: 'bad parameter', headers: json, body: '{"input":{"parameters":{"limit":-1}}}', status: 400 },
    { name: 'oversized body', headers: json, body: `{"applicationSetName":"${'x'.repeat(70_000)}"}`, status: 413 },
    { name: 'wrong content type', headers: { ...json, 'content-type': 'application/xml' }, body: '<input/>', status: 415 },
  ];
}

/** Sends `probe` and returns the status, or the kind of failure. */
export async function sendProbe(url: string, probe: Probe): Promise<string> {
  try {
    const response = await fetch(`${url}/api/v1/getparams.execute`, {
      method: 'POST',
      headers: probe.headers,
      body: probe.body,
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    const message = (() => {
      try {
        return typeof (JSON.parse(body) as { message?: unknown }).message === 'string';
      } catch {
        return false;
      }
    })();
    return response.status === probe.status && message ? 'expected' : `unexpected ${response.status}`;
  } catch (error) {
    return `failed: ${(error as Error).name}`;
  }
}
