/** The server's sense of time, injectable so tests and the benchmark can move it (an hour of polls in seconds). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Runs a callback once a delay has passed; injectable so that a test moves time instead of waiting for it. */
export interface Scheduler {
  /** Calls `callback` after `delayMs`, unless the returned function is called first (it cancels). */
  schedule(delayMs: number, callback: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemScheduler: Scheduler = {
  schedule(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    // A pending deadline must not keep a process alive that has nothing else to do.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** A clock that moves only when told, and runs what was scheduled on it when it moves past the due time. */
export class ManualClock implements Clock, Scheduler {
  private readonly timers = new Set<{ due: number; callback: () => void }>();

  constructor(private current = Date.parse('2025-01-01T00:00:00Z')) {}

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, callback: () => void): () => void {
    const timer = { due: this.current + delayMs, callback };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** How many scheduled callbacks have not run (nor been cancelled) yet. */
  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    this.current += ms;
    const due = [...this.timers].filter((timer) => timer.due <= this.current).sort((a, b) => a.due - b.due);
    for (const timer of due) {
      this.timers.delete(timer);
      timer.callback();
    }
  }
}
