/**
 * Seeded randomness for the crash-safety tests: where the kills land is drawn from a seed, printed when the test
 * fails, so that `DYNENV_CRASH_SEED=<seed>` replays the same kills.
 */
import fc from 'fast-check';
import { onTestFailed } from 'vitest';

/**
 * Kills per crash-safety test: 2 in `npm test`, one in each half of the window, at points drawn from a fresh seed
 * on every run, so that successive runs cover the window; `DYNENV_CRASH_RUNS=<n>` for more (CI runs 12 in a step
 * of its own). Each kill is a whole `dynenv` process run: they were the two slowest files of the suite.
 */
export const CRASH_RUNS = Number(process.env.DYNENV_CRASH_RUNS ?? 2);

/** `count` numbers in [0, 1), the same for the same seed; the seed is DYNENV_CRASH_SEED or a fresh one. */
export function crashDraws(count: number, file: string): number[] {
  const given = process.env.DYNENV_CRASH_SEED ? Number(process.env.DYNENV_CRASH_SEED) : Number.NaN;
  const seed = Number.isSafeInteger(given) ? given : Math.floor(Math.random() * 2 ** 31);
  onTestFailed(() => {
    console.error(`${file}: the kills were drawn from seed ${seed}; replay them with DYNENV_CRASH_SEED=${seed} npx vitest run ${file}`);
  });
  // Uniform: an unbiased integer (fast-check's arbitraries otherwise favour edge values, and its doubles are
  // uniform over their bit patterns, not over [0, 1)).
  const scale = 2 ** 30;
  return fc.sample(fc.noBias(fc.integer({ min: 0, max: scale - 1 })), { seed, numRuns: count }).map((draw) => draw / scale);
}

/**
 * The event at which kill `index` (0-based, of `count`) is sent: one drawn (by `draw`, in [0, 1)) from the
 * index-th of `count` equal slices of the events [first, last], so that the kills spread over the whole window.
 */
export function aimedEvent(draw: number, index: number, count: number, first: number, last: number): number {
  const events = last - first + 1;
  const start = first + Math.floor((index * events) / count);
  const end = Math.max(start, first + Math.floor(((index + 1) * events) / count) - 1);
  return start + Math.floor(draw * (end - start + 1));
}
