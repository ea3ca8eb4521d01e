/**
 * vitest's global setup: `npm run build` once before any test, so that the tests which run the `dynenv` command
 * run the compiled dist/ of these sources (fast to start), whichever way the tests were started.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function buildOnce(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
}
