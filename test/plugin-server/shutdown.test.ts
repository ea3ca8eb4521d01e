/**
 * A request that reaches the server after it started shutting down is answered in the catalogue's shape with
 * SHUTTING_DOWN (not as if GitHub had failed, nor in Fastify's own format), and the request in flight still gets
 * its parameters.
 */
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { PLUGIN_TOKEN, startHarness } from './harness.ts';

const h = await startHarness();
afterAll(() => h.fake.close());

/** A raw connection and everything it has received. */
async function openConnection(port: number): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => undefined);
  return { socket, received: () => text };
}

function jsonBody(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

it('answers a request that arrives while closing with SHUTTING_DOWN, and finishes the one in flight', async () => {
  h.fake.openPullRequest('acme/shop', { title: 'Cart' });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = h.app.server.address() as AddressInfo;

  // Connection A: a listing GitHub holds (on the manual clock) while the server starts closing.
  const a = await openConnection(port);
  h.fake.faults.inject({ kind: 'slow', delayMs: 1_000 }, { times: 1 });
  const body = JSON.stringify({ applicationSetName: 'previews', input: {} });
  a.socket.write(
    'POST /api/v1/getparams.execute HTTP/1.1\r\nHost: plugin\r\n' +
      `Authorization: Bearer ${PLUGIN_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  await eventually(() => expect(h.fake.heldRequests).toHaveLength(1));

  // Connection B: a request begun (so the connection is not idle and survives close()), finished after it.
  const b = await openConnection(port);
  b.socket.write('GET /healthz HTTP/1.1\r\nHost: plugin\r\n');
  const connections = () => new Promise<number>((resolve, reject) => h.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  await eventually(async () => expect(await connections()).toBe(2));
  const closed = h.app.close();
  b.socket.write('\r\n');
  await eventually(() => expect(b.received()).toMatch(/^HTTP\/1\.1 503 /));
  await eventually(() => expect(b.received()).toMatch(/\}$/));
  expect(jsonBody(b.received())).toEqual({ code: 'SHUTTING_DOWN', message: expect.stringContaining('shutting down') });
  expect(b.received().toLowerCase()).toContain('connection: close');

  h.clock.advance(1_000);
  await closed;
  await eventually(() => expect(a.received()).toMatch(/^HTTP\/1\.1 200 [^]*\}$/));
  expect(jsonBody(a.received())).toMatchObject({ output: { parameters: [{ number: '1' }] } });
});
