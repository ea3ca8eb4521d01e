/**
 * Clean-up that support modules declare once and that runs after every test, or after every test file.
 *
 * vitest evaluates a support module once per worker and shares it among the test files that worker runs
 * (`isolate: false` in vitest.config.ts), so a hook a support module registered when it was first imported would
 * only run for the first of those files. The setup file (test/support/setup.ts), which vitest runs again before
 * every test file, registers the hooks that call what was declared here.
 */
type CleanUp = () => unknown;

const afterTest: CleanUp[] = [];
const afterFile: CleanUp[] = [];

/** Runs `cleanUp` after each test of every file, after the test's own hooks. */
export function afterEveryTest(cleanUp: CleanUp): void {
  afterTest.push(cleanUp);
}

/** Runs `cleanUp` once every test of a file has run. */
export function afterEveryFile(cleanUp: CleanUp): void {
  afterFile.push(cleanUp);
}

/** Called by the setup file's hooks; one after the other, in the order they were declared. */
export async function runAfterTest(): Promise<void> {
  for (const cleanUp of afterTest) await cleanUp();
}

export async function runAfterFile(): Promise<void> {
  for (const cleanUp of afterFile) await cleanUp();
}
