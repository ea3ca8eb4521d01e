/** Timers on a clock that moves only when told: `advance` runs what falls due, in order. */
import type { Timers } from '../../plugin-server/controller/status/timers.ts';
import type { Clock } from '../../plugin-server/clock.ts';

export class ManualTimers implements Timers, Clock {
  private current: number;
  private readonly pending: Array<{ at: number; seq: number; callback: () => void }> = [];
  private seq = 0;

  constructor(start = Date.parse('2025-01-01T00:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): () => void {
    const entry = { at: this.current + Math.max(0, ms), seq: this.seq++, callback };
    this.pending.push(entry);
    return () => {
      const index = this.pending.indexOf(entry);
      if (index >= 0) this.pending.splice(index, 1);
    };
  }

  /** A signal that aborts `ms` from now on this clock (the plugin server's Clock: its listing deadline). */
  timeout(ms: number): AbortSignal {
    const controller = new AbortController();
    this.setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
    return controller.signal;
  }

  /** Resolves `ms` from now on this clock, or when `signal` aborts (the plugin server's Clock: Octokit's waits). */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const cancel = this.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (cancel(), resolve()), { once: true });
    });
  }

  /** Moves the clock by `ms`, running every timer that falls due (timers they set included), earliest first. */
  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending[0];
      if (!next || next.at > until) break;
      this.pending.shift();
      this.current = Math.max(this.current, next.at);
      next.callback();
    }
    this.current = until;
  }
}
