/**
 * What every getparams answer must look like, whatever was asked: the judge of the fuzzing suites. A 2xx is
 * exactly `{"output":{"parameters":[...]}}` whose sets all carry the same keys (PARAMETER_KEYS), none null; any
 * other answer is a 4xx (the caller made the mistake, not GitHub) with a JSON `message`. Argo CD prunes on any
 * 2xx with fewer sets, so an answer that is neither is the failure the suites look for.
 */
import { expect } from 'vitest';
import { PLUGIN_PARAMETER_KEYS as PARAMETER_KEYS } from '../../contract/plugin-parameters.ts';

export interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** Fails the test unless `answer` is a well-formed parameter list (2xx) or a 4xx JSON message; returns the sets. */
export function expectWellFormedAnswer(answer: Answer): Array<Record<string, unknown>> | undefined {
  const where = `${answer.status} ${answer.body.slice(0, 300)}`;
  expect(answer.status, where).toBeGreaterThanOrEqual(200);
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.contentType, where).toMatch(/^application\/json/);
  const parsed = JSON.parse(answer.body) as unknown;
  expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), where).toBe(true);
  if (answer.status >= 200 && answer.status < 300) {
    expect(answer.status, where).toBe(200);
    expect(Object.keys(parsed as object), where).toEqual(['output']);
    const output = (parsed as { output: unknown }).output as { parameters?: unknown };
    expect(Object.keys(output ?? {}), where).toEqual(['parameters']);
    expect(Array.isArray(output.parameters), where).toBe(true);
    const sets = output.parameters as unknown[];
    for (const set of sets) {
      expect(typeof set === 'object' && set !== null && !Array.isArray(set), where).toBe(true);
      expect(Object.keys(set as object), where).toEqual([...PARAMETER_KEYS]);
      for (const value of Object.values(set as object)) expect(value, where).not.toBeNull();
    }
    return sets as Array<Record<string, unknown>>;
  }
  expect(answer.status, where).toBeGreaterThanOrEqual(400);
  const message = (parsed as { message?: unknown }).message;
  expect(typeof message === 'string' && message.length > 0, where).toBe(true);
  return undefined;
}

/**
 * The share of each property's full run that `npm test` draws. Fuzzing was a fifth of the suite's time; every run
 * draws new inputs (a new seed, printed on failure), so runs add up, and CI runs every property in full in a step
 * of its own (`DYNENV_FUZZ_RUNS=1`), as it does the SIGKILL tests.
 */
const NPM_TEST_SHARE = 0.4;

/**
 * Runs of a fuzzing property whose full run is `fullRuns` (a few thousand inputs in all for the suite), times
 * `DYNENV_FUZZ_RUNS` (default {@link NPM_TEST_SHARE}): `DYNENV_FUZZ_RUNS=1` is the full run, `50` a long local
 * one (e.g. `DYNENV_FUZZ_RUNS=50 npx vitest run test/plugin-server/robustness.test.ts`).
 */
export function fuzzRuns(fullRuns: number): number {
  const factor = Number(process.env.DYNENV_FUZZ_RUNS ?? NPM_TEST_SHARE);
  return Math.max(1, Math.round(fullRuns * (Number.isFinite(factor) && factor > 0 ? factor : NPM_TEST_SHARE)));
}
