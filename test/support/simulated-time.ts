/**
 * Simulated time for tests of code that waits on a Clock: nothing waits for real time, so a loaded machine
 * changes no outcome.
 */
import { ManualClock } from '../../plugin-server/clock.ts';

/**
 * A ManualClock on which every sleep passes at once: time moves by the wait (firing any timer due on the way,
 * such as a deadline) and the sleeper goes on. For tests in which the waits are not the subject.
 */
export class TimeLapseClock extends ManualClock {
  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms > 0 && !signal?.aborted) this.advance(ms);
    return Promise.resolve();
  }
}

/**
 * The fake GitHub's `onHold` for a server whose listing deadline is `deadlineMs` on `clock`: while the fake holds
 * a slow answer, time runs to the deadline of the listing that asked (or to the answer, if that comes first).
 * Requests held together (pages revalidated in parallel) wait the same time: the clock moves once.
 */
export function timePassesWhileHeld(clock: ManualClock, deadlineMs: number): (request: unknown, heldMs: number) => void {
  return (_request, heldMs) => {
    const until = clock.now() + Math.min(heldMs, deadlineMs);
    setImmediate(() => clock.advance(Math.max(0, until - clock.now())));
  };
}
