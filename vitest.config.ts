import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests that run `dynenv` run the compiled CLI: build it once, first.
    globalSetup: ['test/support/build.ts'],
    // Tests spawn kubectl, git and real servers on loopback: give them room on a shared 2-core machine.
    testTimeout: 60_000,
    // Three test files at a time. vitest's default on 2 cores is ONE (cores - 1), yet most of a test's time here is
    // spent waiting for a process it started (kubectl, git, dynenv) or a server on loopback. Measured on 8 of the
    // slowest files, same machine and load (~15): 1 worker 265 s, 2 workers 207 s, 3 workers 184 s, for the same
    // CPU time (78-83 s); worker threads instead of processes (169 s) were within that load's noise, so the
    // default pool (forks) stays. Per file, tests still run one after another, each file in its own process.
    maxWorkers: 3,
    hookTimeout: 60_000,
    // Transformed like the sources, so that a test can watch its node:crypto calls (timing-safe-comparison).
    server: { deps: { inline: ['@octokit/webhooks-methods'] } },
  },
});
