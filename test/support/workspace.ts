/** Temporary folders for tests that write: each test gets its own copy of the example, removed afterwards. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEveryTest } from './after-each.ts';

/** The repository's own root, where the bundled example dynenv.yaml lives. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

const created: string[] = [];
afterEveryTest(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 5 })));
});

/** A new empty folder, removed after the test. */
export async function tempDir(prefix = 'dynenv-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A folder holding a copy of the bundled example's dynenv.yaml (and nothing else), removed after the test. */
export async function exampleWorkspace(): Promise<string> {
  const dir = await tempDir();
  await cp(path.join(REPO_ROOT, 'dynenv.yaml'), path.join(dir, 'dynenv.yaml'));
  return dir;
}
