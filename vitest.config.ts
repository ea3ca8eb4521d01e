import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The package installed from its tarball into a fresh repository (npm pack, npm ci, the README's path: 35 s of
    // CPU, a tenth of the suite) runs beside CI's pack step: `npm run test:package` (vitest.package.config.ts).
    exclude: ['test/package/**'],
    // The tests that run `dynenv` run the compiled CLI: build it once, first. Renders go through a cache.
    globalSetup: ['test/support/build.ts', 'test/support/render-cache-setup.ts'],
    // Hooks the clean-up of the shared support modules (fake servers, temporary folders) to every file.
    setupFiles: ['test/support/setup.ts'],
    // The files a worker runs share their modules: cdk8s, the Kubernetes schemas and the sources are evaluated once
    // per worker rather than once per file, which took 40% of the suite's time. Nothing in a module may therefore
    // carry a test's state into the next file: support modules declare their clean-up in
    // test/support/after-each.ts, and a file that replaces a module (vi.mock) resets the modules before it imports.
    isolate: false,
    // Tests spawn kubectl, git and real servers on loopback: give them room on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Three test files at a time. vitest's default on 2 cores is ONE (cores - 1), yet most of a test's time here is
    // spent waiting for a process it started (kubectl, git, dynenv) or a server on loopback. Measured on 8 of the
    // slowest files, same machine and load (~15): 1 worker 265 s, 2 workers 207 s, 3 workers 184 s, for the same
    // CPU time (78-83 s). Per file, tests run one after another. Processes (the default pool), not worker threads:
    // the command line's in-process tests change the working folder, which a worker thread may not.
    maxWorkers: 3,
    // As many from the start: with isolate off, tinypool otherwise ends the run by terminating a worker it had
    // kept (an unhandled "Terminating worker thread", exit 1).
    minWorkers: 3,
    // Transformed like the sources, so that a test can watch its node:crypto calls (timing-safe-comparison).
    server: { deps: { inline: ['@octokit/webhooks-methods'] } },
  },
});
