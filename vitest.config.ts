import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn kubectl, git and real servers on loopback: give them room on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Transformed like the sources, so that a test can watch its node:crypto calls (timing-safe-comparison).
    server: { deps: { inline: ['@octokit/webhooks-methods'] } },
  },
});
