/**
 * bin/dynenv.js in a checkout never runs a stale bundle: when a source, the lock file (the bundle holds copies of
 * packages) or the bundler is newer than the last build, or the bundle is missing, it turns to the sources through
 * tsx. Played in a temporary checkout holding a copy of bin/dynenv.js, a stand-in bundle that says it ran, and no
 * node_modules, so that turning to the sources shows as the "run npm run build" answer (exit 70).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { DYNENV_BIN } from '../support/cli.ts';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';

/** The rule bin/dynenv.js asks in a checkout (the tests' global setup asks it too). */
const FRESHNESS = 'tools/build-freshness.mjs';
const FILES = ['src/cli.ts', 'contract/names.ts', 'plugin-server/app.ts', 'package-lock.json', 'tools/bundle-cli.mjs'];
const BUILT = new Date('2026-01-02T00:00:00Z');
const BEFORE = new Date('2026-01-01T00:00:00Z');
const AFTER = new Date('2026-01-03T00:00:00Z');

let checkout: string;

beforeEach(async () => {
  checkout = await tempDir('dynenv-bin-');
  await mkdir(path.join(checkout, 'bin'));
  await copyFile(DYNENV_BIN, path.join(checkout, 'bin/dynenv.js'));
  await mkdir(path.join(checkout, 'tools'));
  await copyFile(path.join(REPO_ROOT, FRESHNESS), path.join(checkout, FRESHNESS));
  for (const file of FILES) {
    await mkdir(path.dirname(path.join(checkout, file)), { recursive: true });
    await writeFile(path.join(checkout, file), '');
    await utimes(path.join(checkout, file), BEFORE, BEFORE);
  }
  await mkdir(path.join(checkout, 'dist/cli'), { recursive: true });
  await writeFile(path.join(checkout, 'dist/cli/cli.js'), "export async function main() { process.stdout.write('the bundle ran\\n'); return 0; }\n");
  await writeFile(path.join(checkout, 'dist/.build-stamp'), '');
  await utimes(path.join(checkout, 'dist/.build-stamp'), BUILT, BUILT);
});

async function runBin(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(checkout, 'bin/dynenv.js'), '--version'], { cwd: checkout });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const TURNED_TO_SOURCES = { code: 70, stderr: expect.stringContaining('dist/ is missing or older than src/') };

describe('bin/dynenv.js in a checkout', () => {
  it('runs the bundle while the last build is newer than everything it was built from', async () => {
    expect(await runBin()).toMatchObject({ code: 0, stdout: 'the bundle ran\n' });
  });

  it.each(FILES)('turns to the sources when %s is newer than the last build', async (file) => {
    await utimes(path.join(checkout, file), AFTER, AFTER);
    expect(await runBin()).toMatchObject(TURNED_TO_SOURCES);
  });

  it('turns to the sources when the bundle is missing, though the stamp is there', async () => {
    await rm(path.join(checkout, 'dist/cli/cli.js'));
    expect(await runBin()).toMatchObject(TURNED_TO_SOURCES);
  });

  it('turns to the sources in a checkout that cannot tell (no tools/build-freshness.mjs)', async () => {
    await rm(path.join(checkout, FRESHNESS));
    expect(await runBin()).toMatchObject(TURNED_TO_SOURCES);
  });

  it('runs the bundle whatever its age where there are no sources (an installed package)', async () => {
    await rm(path.join(checkout, 'src'), { recursive: true });
    await rm(path.join(checkout, 'dist/.build-stamp'));
    expect(await runBin()).toMatchObject({ code: 0, stdout: 'the bundle ran\n' });
  });
});
