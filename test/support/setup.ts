/**
 * vitest's setup file, run before every test file (in the same worker when files share one: see
 * test/support/after-each.ts): hooks the clean-up that support modules declared to this file's tests.
 */
import { afterAll, afterEach } from 'vitest';
import { runAfterFile, runAfterTest } from './after-each.ts';

afterEach(runAfterTest);
afterAll(runAfterFile);
