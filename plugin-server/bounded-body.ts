/**
 * Reads a request body into memory only within bounds: at most `maxBytes`, and all of it before a deadline. A
 * sender that declares or sends more, or trickles its bytes, is refused as soon as that is known, and what was
 * read is dropped at once: an unauthenticated caller cannot make the server hold memory or a socket for long.
 */
import type { Readable } from 'node:stream';
import type { Clock } from './clock.ts';
import { PluginError } from './errors.ts';

export interface BodyBounds {
  /** The largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** How long the whole body may take to arrive, from the moment reading starts. */
  readonly deadlineMs: number;
  /** Runs the deadline. */
  readonly clock: Clock;
}

/** The bytes of `stream`, or a BODY_TOO_LARGE / REQUEST_TIMEOUT PluginError. */
export function readBoundedBody(stream: Readable, bounds: BodyBounds): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      deadline.abort();
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      if (error === undefined) {
        resolve(Buffer.concat(chunks, size));
      } else {
        chunks = [];
        // Stop reading: the reply says why, and the connection is closed after it (see webhook-intake.ts).
        stream.pause();
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > bounds.maxBytes) {
        finish(new PluginError('BODY_TOO_LARGE', `request body: more than ${bounds.maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = (error: Error) => finish(error);
    // The deadline is a sleep that finishing the read cancels (a cancelled sleep resolves too: ask which it was).
    const deadline = new AbortController();
    void bounds.clock.sleep(bounds.deadlineMs, deadline.signal).then(() => {
      if (!deadline.signal.aborted) finish(new PluginError('REQUEST_TIMEOUT', `request body: not received within ${bounds.deadlineMs / 1000} s`));
    });
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
