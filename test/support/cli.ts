/**
 * The one way tests run the real `dynenv` command line, as a user would: `node bin/dynenv.js`, which runs the
 * compiled dist/ (built once per test run by test/support/build.ts, vitest's global setup). A change to how the
 * binary runs is made here, for every test.
 */
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './workspace.ts';

/** The `dynenv` executable of this checkout, as package.json's `bin` names it. */
export const DYNENV_BIN = path.join(REPO_ROOT, 'bin/dynenv.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `dynenv <args>` in `cwd` to its end, with `env` added to this process's environment. */
export async function dynenv(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DYNENV_BIN, ...args], {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/**
 * Starts `dynenv <args>` and returns the process, for commands that keep running (`serve`) or that a test
 * interrupts. `options.env` replaces the environment, as in child_process.spawn; `nodeOptions` go before the
 * script (e.g. `--import` of a hook).
 */
export function spawnDynenv(args: readonly string[], options: SpawnOptions & { readonly nodeOptions?: readonly string[] } = {}): ChildProcess {
  const { nodeOptions = [], ...spawnOptions } = options;
  return spawn(process.execPath, [...nodeOptions, DYNENV_BIN, ...args], spawnOptions);
}
