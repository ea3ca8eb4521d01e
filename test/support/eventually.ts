/**
 * Waits until `assertion` passes, for what the code under test does over real I/O (a request reaching the fake, a
 * wait being set on the ManualClock). The guard only ends a test that would otherwise hang, with the assertion's
 * own failure; no outcome depends on how fast the machine is.
 */
import { vi } from 'vitest';

export function eventually<T>(assertion: () => T, guardMs = 30_000): Promise<T> {
  return vi.waitFor(assertion, { timeout: guardMs, interval: 5 });
}
