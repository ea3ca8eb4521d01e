/** What a call threw, for tests that pin an exact message and exit code; fails the test when nothing was thrown. */
export function thrown(call: () => unknown): Error & { exitCode?: number } {
  try {
    call();
  } catch (error) {
    return error as Error & { exitCode?: number };
  }
  throw new Error('expected the call to throw, and it returned');
}

/** What a promise rejected with; fails the test when it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { exitCode?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { exitCode?: number };
  }
  throw new Error('expected the promise to reject, and it resolved');
}
