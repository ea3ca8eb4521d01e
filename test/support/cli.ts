/**
 * The one way tests run the `dynenv` command line: as a user would, `node bin/dynenv.js`, which runs the compiled
 * dist/ (built once per test run by test/support/build.ts, vitest's global setup); or in this test process
 * (dynenvInProcess), for the command line's behaviour without a Node.js start. A change to how the binary runs
 * is made here, for every test.
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

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `dynenv <args>` inside this test process: the `main` the binary calls, with `cwd` as the working folder,
 * `env` added to the environment and what it writes to stdout and stderr captured, as `dynenv` above reports it.
 * No Node.js start and no module loading after the first call, so a test of the command line's behaviour costs
 * what the command does. The working folder, the environment and the two streams belong to the whole process:
 * calls run one at a time, and each puts back what it changed. Commands that start a server (`serve`) or that a
 * test kills or pipes run as real processes (`dynenv` or `spawnDynenv` above).
 */
export function dynenvInProcess(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  const run = queue.then(() => runInProcess(cwd, args, env));
  queue = run.catch(() => undefined);
  return run;
}

async function runInProcess(cwd: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliResult> {
  const { main } = await import('../../src/cli.ts');
  const output = { stdout: '', stderr: '' };
  const streams = { stdout: process.stdout, stderr: process.stderr } as const;
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const workingFolder = process.cwd();
  const previousEnv = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  for (const name of ['stdout', 'stderr'] as const) {
    streams[name].write = ((
      chunk: string | Uint8Array,
      encoding?: BufferEncoding | ((error?: Error | null) => void),
      done?: (error?: Error | null) => void,
    ) => {
      output[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
      (typeof encoding === 'function' ? encoding : done)?.();
      return true;
    }) as typeof process.stdout.write;
  }
  try {
    process.chdir(cwd);
    Object.assign(process.env, env);
    const code = await main([...args]);
    return { code, ...output };
  } finally {
    streams.stdout.write = writes.stdout;
    streams.stderr.write = writes.stderr;
    process.chdir(workingFolder);
    for (const [name, value] of Object.entries(previousEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
