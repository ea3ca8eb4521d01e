/**
 * vitest's global setup: `npm run build` once before any test, so that the tests which run the `dynenv` command
 * run the compiled dist/ of these sources (fast to start), whichever way the tests were started. A dist/ already
 * current by the rule bin/dynenv.js follows (tools/build-freshness.mjs) is not built again: the build was two
 * seconds before the first test could start.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { compiledIsCurrent } from '../../tools/build-freshness.mjs';

export default function buildOnce(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  if (compiledIsCurrent(pathToFileURL(`${root}/`))) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}
