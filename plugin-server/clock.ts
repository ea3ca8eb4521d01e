/**
 * The server's sense of time, injectable so tests and the benchmark can move it (an hour of polls in seconds):
 * what time it is (last-good age, coalescing, age filters) and when waits end (the listing deadline, Octokit's
 * retry back-off and rate-limit waits). Tests move a ManualClock; nothing then depends on how fast the machine is.
 */
import { setTimeout as wait } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** A signal that aborts (with a `TimeoutError`, as `AbortSignal.timeout`) `ms` from now. */
  timeout(ms: number): AbortSignal;
  /** Resolves `ms` from now, or as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  timeout: (ms) => AbortSignal.timeout(ms),
  sleep: (ms, signal) => wait(ms, undefined, signal ? { signal } : {}).catch(() => undefined),
};

interface Timer {
  readonly at: number;
  readonly fire: () => void;
}

/** A clock that moves only when told; its timers fire as `advance` passes them, in order. */
export class ManualClock implements Clock {
  private timers: Timer[] = [];

  constructor(private current = Date.parse('2025-01-01T00:00:00Z')) {}

  now(): number {
    return this.current;
  }

  timeout(ms: number): AbortSignal {
    const controller = new AbortController();
    this.schedule(ms, () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')));
    return controller.signal;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    // A wait of nothing (tests that set back-off to 0) ends at once, as it would on the system clock.
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.schedule(ms, resolve);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward by `ms`, firing every timer due by then (each sees `now()` at its own time). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.timers[0]; next !== undefined && next.at <= target; next = this.timers[0]) {
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fire();
    }
    this.current = target;
  }

  /** Moves time to the soonest pending timer and fires it (and any due at the same time); returns how far it moved. */
  advanceToNextTimer(): number {
    const next = this.timers[0];
    if (!next) return 0;
    const distance = Math.max(0, next.at - this.current);
    this.advance(distance);
    return distance;
  }

  /** How far ahead each pending timer is, soonest first: what the code under test is waiting for. */
  get pendingTimers(): number[] {
    return this.timers.map((timer) => timer.at - this.current);
  }

  private schedule(ms: number, fire: () => void): Timer {
    const timer = { at: this.current + Math.max(0, ms), fire };
    // Stable: timers due at the same time fire in the order they were set.
    const index = this.timers.findIndex((t) => t.at > timer.at);
    if (index < 0) this.timers.push(timer);
    else this.timers.splice(index, 0, timer);
    return timer;
  }
}
