/**
 * The plugin server of the soak, in a process of its own, started exactly as `dynenv serve` starts it
 * (startPluginServer: configuration from the environment, the real GitHub client with its retries). Run with
 * --expose-gc: the soak asks it over IPC for its memory after a forced collection, so that growth measures what
 * the server keeps, not garbage not yet collected. Log lines go to standard output.
 */
import type { AddressInfo } from 'node:net';
import { startPluginServer } from '../../plugin-server/main.ts';

/** What the soak asks over IPC, and what the server answers. */
export type SoakRequest = 'memory';
export type SoakReply = { readonly port: number } | { readonly memory: NodeJS.MemoryUsage; readonly collected: boolean };

const app = await startPluginServer(process.env);
const send = (reply: SoakReply) => process.send?.(reply);
send({ port: (app.server.address() as AddressInfo).port });

const collect = (globalThis as { gc?: () => void }).gc;
process.on('message', (request: SoakRequest) => {
  if (request !== 'memory') return;
  // Twice: the first pass may only queue finalizers that free more.
  collect?.();
  collect?.();
  send({ memory: process.memoryUsage(), collected: collect !== undefined });
});
process.once('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
