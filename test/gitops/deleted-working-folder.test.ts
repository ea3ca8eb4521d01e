/**
 * Regression: `dynenv synth` whose working folder is deleted while it runs spun at full CPU forever (Node's
 * recursive mkdir of a relative path under a deleted folder never returns). Now its paths are absolute from the
 * start, and it stops at once with a clear message and exit code 1.
 *
 * The moment is made deterministic with a FIFO as dynenv.yaml: synth blocks reading it until the test writes the
 * configuration, and the test deletes the folder first.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { open, rm } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';

describe('dynenv synth in a folder deleted while it runs', () => {
  it('exits 1 at once with a clear message instead of spinning', async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'dynenv.yaml');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/dynenv.js'), 'synth'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      // Opening the FIFO for writing waits until synth has opened it for reading: synth is running, in `dir`.
      const writer = await open(fifo, 'w');
      await rm(dir, { recursive: true, force: true });
      await writer.writeFile(await readFile(path.join(REPO_ROOT, 'dynenv.yaml'), 'utf8'));
      await writer.close();
      // A guard, not a measurement: a spinning synth never exits, and is killed below.
      const code = await Promise.race([exited, new Promise<'spinning'>((resolve) => setTimeout(() => resolve('spinning'), 45_000))]);
      expect(code).toBe(1);
      expect(stderr).toBe(
        'dynenv synth: the working folder no longer exists (it was deleted after this command started): run dynenv from an existing folder\n',
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  }, 60_000);
});
