/** `npm run test:package`: the package as users install it (test/package), which `npm test` leaves to this run. */
import { defineConfig } from 'vitest/config';
import suite from './vitest.config.ts';

export default defineConfig({ ...suite, test: { ...suite.test, include: ['test/package/**/*.test.ts'], exclude: [] } });
