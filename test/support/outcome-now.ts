/**
 * Whether a promise has settled yet, without waiting on real time: everything already queued runs first (one
 * turn of the event loop), then the answer is what the promise has come to. For code driven by a ManualClock:
 * move the clock, then ask whether the answer is there.
 */
export type Outcome<T> =
  { readonly state: 'pending' } | { readonly state: 'fulfilled'; readonly value: T } | { readonly state: 'rejected'; readonly reason: unknown };

export async function outcomeNow<T>(promise: Promise<T>): Promise<Outcome<T>> {
  let outcome: Outcome<T> = { state: 'pending' };
  promise.then(
    (value) => (outcome = { state: 'fulfilled', value }),
    (reason: unknown) => (outcome = { state: 'rejected', reason }),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return outcome;
}
