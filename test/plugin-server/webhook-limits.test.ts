/**
 * Issue 10, finding 5: the webhook reads what an unauthenticated sender sends only within bounds. Driven over real
 * HTTP on loopback with raw sockets (so a body can be sent in part, slowly, or not at all), with the server's
 * manual clock running the body deadline.
 */
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sign } from '@octokit/webhooks-methods';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_WEBHOOK_LIMITS } from '../../plugin-server/webhook-intake.ts';
import { WEBHOOK_SECRET, startHarness, type Harness } from './harness.ts';

const MiB = 1024 * 1024;
const FORGED = `sha256=${'0'.repeat(64)}`;

let h: Harness;
let port: number;
const sockets: Socket[] = [];
beforeEach(async () => {
  h = await startHarness();
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await h.close();
});

interface Exchange {
  readonly socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  readonly closed: Promise<string>;
  /** Resolves with the first bytes of the answer, as soon as there are any. */
  readonly answered: Promise<string>;
}

/** Opens a connection and sends the head of a webhook delivery; the body is written by the test. */
function startDelivery(headers: Record<string, string | number>): Exchange {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  let onFirst: (text: string) => void = () => undefined;
  const answered = new Promise<string>((resolve) => (onFirst = resolve));
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('utf8');
    onFirst(received);
  });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  const head = Object.entries({ host: '127.0.0.1', 'content-type': 'application/json', 'x-github-event': 'pull_request', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`POST /api/v1/webhook/github HTTP/1.1\r\n${head}\r\n`);
  return { socket, closed, answered };
}

function statusAndBody(response: string): { status: number; body: unknown } {
  const [head, body] = response.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1]), body: JSON.parse(body ?? 'null') };
}

/** A pull_request event of about `size` bytes (its PR body padded), signed with the webhook secret. */
async function signedEvent(size: number): Promise<{ body: string; signature: string }> {
  const shell = { action: 'opened', number: 1, repository: { full_name: 'acme/shop' }, pull_request: { number: 1, body: '' } };
  const body = JSON.stringify({ ...shell, pull_request: { number: 1, body: 'x'.repeat(Math.max(0, size - JSON.stringify(shell).length)) } });
  return { body, signature: await sign(WEBHOOK_SECRET, body) };
}

describe('the webhook reads unauthenticated bodies only within bounds', () => {
  it('takes a signed pull_request event near the 1 MiB limit', async () => {
    const { body, signature } = await signedEvent(MiB - 1024);
    const exchange = startDelivery({ 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature });
    exchange.socket.end(body);
    expect(statusAndBody(await exchange.answered)).toEqual({ status: 200, body: { message: 'invalidated acme/shop' } });
  });

  it('refuses a delivery without a signature before reading its body, and closes the connection', async () => {
    const exchange = startDelivery({ 'content-length': MiB });
    // Not one byte of the body was sent: the answer comes from the head alone.
    expect(statusAndBody(await exchange.closed)).toEqual({
      status: 401,
      body: { code: 'WEBHOOK_SIGNATURE_INVALID', message: 'X-Hub-Signature-256 is missing or does not match GITHUB_WEBHOOK_SECRET' },
    });
  });

  it('refuses a declared length over 1 MiB before reading the body', async () => {
    const exchange = startDelivery({ 'content-length': MiB + 1, 'x-hub-signature-256': FORGED });
    expect(statusAndBody(await exchange.closed)).toEqual({
      status: 413,
      body: { code: 'BODY_TOO_LARGE', message: `request body: ${MiB + 1} bytes is more than ${MiB}` },
    });
  });

  it('stops reading a chunked body at the first byte past 1 MiB, and closes the connection', async () => {
    const exchange = startDelivery({ 'transfer-encoding': 'chunked', 'x-hub-signature-256': FORGED });
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent <= MiB; sent += chunk.length) exchange.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(statusAndBody(await exchange.closed)).toEqual({ status: 413, body: { code: 'BODY_TOO_LARGE', message: `request body: more than ${MiB} bytes` } });
  });

  it('answers 408 and closes the connection when the body is not all there 10 s after its head (manual clock)', async () => {
    const { body, signature } = await signedEvent(2_000);
    const exchange = startDelivery({ 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature });
    exchange.socket.write(body.slice(0, 100));
    await vi.waitFor(() => expect(h.clock.pendingTimers.length).toBe(1));
    h.clock.advance(DEFAULT_WEBHOOK_LIMITS.bodyTimeoutMs - 1);
    exchange.socket.write(body.slice(100, 200));
    h.clock.advance(1);
    expect(statusAndBody(await exchange.closed)).toEqual({
      status: 408,
      body: { code: 'REQUEST_TIMEOUT', message: 'request body: not received within 10 s' },
    });
  });

  it('takes a body that completes before the deadline, however it was split', async () => {
    const { body, signature } = await signedEvent(2_000);
    const exchange = startDelivery({ 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature });
    exchange.socket.write(body.slice(0, 100));
    await vi.waitFor(() => expect(h.clock.pendingTimers.length).toBe(1));
    h.clock.advance(DEFAULT_WEBHOOK_LIMITS.bodyTimeoutMs - 1);
    exchange.socket.write(body.slice(100));
    expect(statusAndBody(await exchange.answered)).toEqual({ status: 200, body: { message: 'invalidated acme/shop' } });
    expect(h.clock.pendingTimers.length).toBe(0);
  });

  it('reads at most 8 bodies at once: the 9th is answered 503 at once, and a slot frees when a body is done', async () => {
    const { body, signature } = await signedEvent(2_000);
    const slow = Array.from({ length: DEFAULT_WEBHOOK_LIMITS.maxConcurrentBodies }, () => {
      const exchange = startDelivery({ 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature });
      exchange.socket.write(body.slice(0, 10));
      return exchange;
    });
    await vi.waitFor(() => expect(h.clock.pendingTimers.length).toBe(DEFAULT_WEBHOOK_LIMITS.maxConcurrentBodies));
    const ninth = startDelivery({ 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature });
    const refused = statusAndBody(await ninth.closed);
    expect(refused).toEqual({ status: 503, body: { code: 'WEBHOOK_BUSY', message: '8 webhook deliveries are being received already: try again' } });

    slow[0]!.socket.end(body.slice(10));
    expect(statusAndBody(await slow[0]!.answered).status).toBe(200);
    const tenth = startDelivery({ 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature });
    tenth.socket.end(body);
    expect(statusAndBody(await tenth.answered)).toEqual({ status: 200, body: { message: 'invalidated acme/shop' } });
    // A sender that hangs up frees its slot too: fill the eighth slot again, hang one up, and one more fits.
    startDelivery({ 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature }).socket.write(body.slice(0, 10));
    await vi.waitFor(() => expect(h.clock.pendingTimers.length).toBe(DEFAULT_WEBHOOK_LIMITS.maxConcurrentBodies));
    slow[1]!.socket.destroy();
    await vi.waitFor(() => expect(h.clock.pendingTimers.length).toBe(DEFAULT_WEBHOOK_LIMITS.maxConcurrentBodies - 1));
    // (The slot is released when Node reports the hang-up, a moment after the deadline is cancelled: ask until then.)
    await vi.waitFor(async () => {
      const afterHangUp = startDelivery({ 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature });
      afterHangUp.socket.end(body);
      expect(statusAndBody(await afterHangUp.answered)).toEqual({ status: 200, body: { message: 'invalidated acme/shop' } });
    });
  });
});
