/**
 * Runs the real `dynenv` command and kills it with SIGKILL at a chosen moment: a fixed delay after it starts, or
 * after the first change it makes under some folders (seen through inotify, not through a hook in the product),
 * so a kill can be aimed at its writes. Only the dynenv process is killed, as when it crashes or runs out of
 * memory: the git commands it started finish on their own (they are waited for, so that what the test inspects
 * is what stays). For the crash-safety tests.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { spawnDynenv } from './cli.ts';

export interface KilledRun {
  /** True when the SIGKILL ended the process (false: it had finished first). */
  readonly killed: boolean;
  /** Its exit code when it finished by itself. */
  readonly exitCode: number | null;
  /** Milliseconds from spawn to exit. */
  readonly ranMs: number;
  /** Milliseconds from spawn to the first change seen under the watched folders (undefined when none was seen). */
  readonly firstChangeMs: number | undefined;
  /** Milliseconds from spawn to the last change seen under the watched folders. */
  readonly lastChangeMs: number | undefined;
  readonly stderr: string;
}

export interface KillOptions {
  /** Folders whose first change (a file created, renamed or removed in them) arms the kill; none: arm at spawn. */
  readonly watch?: readonly string[];
  /** Milliseconds from arming to the kill; Infinity lets the command finish. */
  readonly delayMs: number;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `dynenv <args>` in `cwd` and kills it as `options` say. */
export async function runAndKill(cwd: string, args: readonly string[], options: KillOptions): Promise<KilledRun> {
  const watchers: FSWatcher[] = [];
  let armed!: () => void;
  const firstChange = new Promise<void>((resolve) => (armed = resolve));
  let lastChangeMs: number | undefined;
  const started = performance.now();
  const changed = () => {
    lastChangeMs = performance.now() - started;
    armed();
  };
  for (const folder of options.watch ?? []) {
    for (const directory of await directoriesUnder(folder)) watchers.push(watch(directory, changed));
  }
  // A process group of its own, so that its orphaned children can be waited for.
  const child = spawnDynenv(args, {
    cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let firstChangeMs: number | undefined;
  void firstChange.then(() => (firstChangeMs ??= performance.now() - started));
  if (!options.watch) armed();

  let timer: NodeJS.Timeout | undefined;
  if (Number.isFinite(options.delayMs)) {
    void firstChange.then(() => {
      timer = setTimeout(() => child.kill('SIGKILL'), options.delayMs);
    });
  }
  const { code, signal } = await exited;
  const ranMs = performance.now() - started;
  clearTimeout(timer);
  for (const watcher of watchers) watcher.close();
  await processGroupGone(child.pid!);
  return { killed: signal === 'SIGKILL', exitCode: code, ranMs, firstChangeMs, lastChangeMs, stderr };
}

/** Resolves once no process of the group `leader` led is left (its orphaned children have finished). */
async function processGroupGone(leader: number): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 20) {
    try {
      process.kill(-leader, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the processes started by dynenv (group ${leader}) did not finish within 30 s`);
}

/** `folder` and every folder under it. */
export async function directoriesUnder(folder: string): Promise<string[]> {
  const found = [folder];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) found.push(path.join(entry.parentPath, entry.name));
  }
  return found;
}
