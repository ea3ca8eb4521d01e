/**
 * getparams over a real socket, fed bytes no HTTP client would send: invalid UTF-8, bodies cut short, connections
 * dropped mid-request, malformed framing. The server answers each with a well-formed parameter list or a 4xx
 * JSON message (or, when the client hung up, nothing), never logs an error, and keeps serving.
 */
import net, { type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWellFormedAnswer, fuzzRuns } from './answer-judge.ts';
import { PLUGIN_TOKEN, startHarness, type Harness } from './harness.ts';

let h: Harness;
let port = 0;
let inputs = 0;
beforeAll(async () => {
  h = await startHarness();
  h.fake.openPullRequest('acme/shop', { labels: ['preview'] });
  h.fake.openPullRequest('acme/shop', { labels: ['Ünï'] });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  console.info(`raw-requests.test.ts: ${inputs} raw requests over loopback`);
  expect(inputs).toBeGreaterThanOrEqual(fuzzRuns(250));
  expect(h.logs.filter((line) => (line.level as number) >= 50)).toEqual([]);
  await h.close();
});

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Writes `bytes` on a new connection and reads until the server closes it; undefined when it sent nothing.
 * - `wait`: the client waits for the answer (Connection: close ends it), as Argo CD does;
 * - `end`: the client half-closes after writing (Node then answers only what it can judge at once);
 * - `destroy`: the client hangs up right after writing;
 * - `quiet`: the client goes quiet, and the test drops the connection after a while.
 */
function exchange(bytes: Buffer, after: 'wait' | 'end' | 'destroy' | 'quiet' = 'wait'): Promise<RawAnswer | undefined> {
  inputs += 1;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(
      () => {
        socket.destroy();
        if (after === 'wait') reject(new Error(`no answer within 10 s to ${bytes.toString('latin1').slice(0, 200)}`));
      },
      after === 'quiet' ? 100 : 10_000,
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      if (text === '') return resolve(undefined);
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
      if (!Number.isInteger(status)) return reject(new Error(`not an HTTP answer: ${text.slice(0, 200)}`));
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(bytes, () => {
      if (after === 'end') socket.end();
      if (after === 'destroy') socket.destroy();
    });
  });
}

function request(body: Buffer, contentLength = body.length, extraHeaders = ''): Buffer {
  const head =
    'POST /api/v1/getparams.execute HTTP/1.1\r\nHost: dynenv-plugin\r\nUser-Agent: argocd-applicationset\r\n' +
    `Authorization: Bearer ${PLUGIN_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\nConnection: close\r\n${extraHeaders}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

function judge(answer: RawAnswer | undefined): Array<Record<string, unknown>> | undefined {
  expect(answer).toBeDefined();
  return expectWellFormedAnswer({ status: answer!.status, contentType: answer!.headers['content-type'], body: answer!.body });
}

async function stillServes(): Promise<void> {
  const body = Buffer.from('{"applicationSetName":"previews","input":{"parameters":{"labels":["preview"]}}}\n');
  expect(judge(await exchange(request(body)))?.map((set) => set.number)).toEqual(['1']);
}

describe('fuzzing getparams over a real socket', () => {
  it('regression: a body that is not UTF-8 is a 400, never decoded into a label that matches nothing (a 200 that prunes)', async () => {
    // "Ünï" in Latin-1: valid JSON framing, invalid UTF-8.
    const latin1 = Buffer.concat([Buffer.from('{"input":{"parameters":{"labels":["'), Buffer.from('Ünï', 'latin1'), Buffer.from('"]}}}')]);
    const answer = await exchange(request(latin1));
    expect(answer?.status).toBe(400);
    expect(JSON.parse(answer!.body)).toEqual({ code: 'INVALID_PARAMETER', message: 'request body: is not valid UTF-8 (JSON must be UTF-8 encoded)' });
    // The same label in UTF-8 selects its pull request.
    const utf8 = Buffer.from('{"input":{"parameters":{"labels":["Ünï"]}}}');
    expect(judge(await exchange(request(utf8)))?.map((set) => set.number)).toEqual(['2']);
  });

  it('answers arbitrary bytes in a well-framed body with a parameter list or a 4xx message', async () => {
    const valid = '{"applicationSetName":"previews","input":{"parameters":{"labels":["preview"]}}}';
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      // A valid body with a few bytes replaced: mostly invalid UTF-8 or broken JSON, sometimes still valid.
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((edits) => {
        const bytes = Buffer.from(valid);
        for (const [at, byte] of edits) bytes[at] = byte;
        return bytes;
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (bytes) => {
        judge(await exchange(request(bytes)));
      }),
      { numRuns: fuzzRuns(150) },
    );
    await stillServes();
  });

  it('survives bodies cut short: the client half-closes (a 400), hangs up, or goes quiet', async () => {
    const full = Buffer.from('{"applicationSetName":"previews","input":{"parameters":{"labels":["preview"],"includeDrafts":true}}}\n');
    await fc.assert(
      fc.asyncProperty(fc.nat(full.length - 1), fc.constantFrom('end', 'destroy', 'quiet') as fc.Arbitrary<'end' | 'destroy' | 'quiet'>, async (cut, after) => {
        const answer = await exchange(request(full.subarray(0, cut), full.length), after);
        // A client that hung up gets nothing; one that half-closed, or that the test dropped, a 4xx if anything.
        if (answer !== undefined) judge(answer);
        if (after === 'end') expect(answer?.status).toBe(400);
      }),
      { numRuns: fuzzRuns(100) },
    );
    await stillServes();
  });

  it('answers malformed framing (bad Content-Length, chunking, header bytes, oversized headers) with a 4xx message', async () => {
    const body = Buffer.from('{}');
    const cases: Buffer[] = [
      request(body, 2, 'Content-Length: 3\r\n'),
      request(body, 2, 'Transfer-Encoding: chunked\r\n'),
      Buffer.from(request(body).toString('latin1').replace('Content-Length: 2', 'Content-Length: -1'), 'latin1'),
      Buffer.from(request(body).toString('latin1').replace('Content-Length: 2', 'Content-Length: 1e3'), 'latin1'),
      request(body, 2, 'X-Bad: a\u0001b\r\n'),
      request(body, 2, `X-Huge: ${'a'.repeat(20_000)}\r\n`),
      request(body, 10_000_000),
      Buffer.from(`POST /api/v1/getparams.execute%zz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`),
      Buffer.from('POST /api/v1/getparams.execute HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'),
      Buffer.from('\u0000\u0001\u0002 not http\r\n\r\n'),
    ];
    for (const bytes of cases) {
      const answer = await exchange(bytes, 'end');
      judge(answer);
      expect(answer!.status).toBeGreaterThanOrEqual(400);
      // The catalogue's format, saying what was wrong, not Fastify's bare "Client Error".
      const { message, code } = JSON.parse(answer!.body) as { message: string; code: string };
      expect(['MALFORMED_REQUEST', 'HEADERS_TOO_LARGE', 'INVALID_PARAMETER', 'BODY_TOO_LARGE', 'NOT_FOUND']).toContain(code);
      expect(message).not.toBe('Client Error');
    }
    await stillServes();
  });
});
