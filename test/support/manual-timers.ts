/** Timers on a clock that moves only when told: `advance` runs what falls due, in order. */
import type { Timers } from '../../plugin-server/controller/status/timers.ts';

export class ManualTimers implements Timers {
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
