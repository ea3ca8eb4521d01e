/**
 * Runs the real `dynenv` command and kills it with SIGKILL at a chosen event of its run, not after a delay: the
 * events are what the command does, seen from outside (no hook in the product): a change under some folders
 * (inotify), a git command it starts (git's own trace2 events), a request the fake GitHub receives. A kill aimed
 * at the k-th event of a full run lands at the same point of the work however loaded the machine is.
 *
 * Only the dynenv process is killed, as when it crashes or runs out of memory: the git commands it started finish
 * on their own (they are waited for, so that what the test inspects is what stays). Whatever happens to the test
 * (a failed assertion, a timeout), every process the run started is killed and reaped when the test ends.
 * For the crash-safety tests.
 */
import { closeSync, openSync, readSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { spawnDynenv } from './cli.ts';

export interface KilledRun {
  /** True when the SIGKILL ended the process (false: it had finished first). */
  readonly killed: boolean;
  /** Its exit code when it finished by itself. */
  readonly exitCode: number | null;
  /** What it was seen doing, in order, up to the kill (`tree`, `git <subcommand>`, or the label an extra source gave). */
  readonly events: readonly string[];
  readonly stderr: string;
}

export interface KillOptions {
  /** Folders whose changes (a file created, renamed or removed in them) are events. */
  readonly watch?: readonly string[];
  /** A file the test owns: each git command the run starts is an event (`git <subcommand>`), through GIT_TRACE2_EVENT. */
  readonly traceGit?: string;
  /** Another source of events: called with a function to report one; returns a function that stops it. */
  readonly events?: (report: (label: string) => void) => () => void;
  /** The event (1-based) at which the kill is sent; Infinity lets the command finish. */
  readonly killAtEvent: number;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Process groups started by runAndKill and not yet reaped: killed when the worker exits, whatever happened. */
const running = new Set<number>();
process.once('exit', () => {
  for (const group of running) killGroup(group);
});

/** Runs `dynenv <args>` in `cwd` and kills it at the event `options` name. */
export async function runAndKill(cwd: string, args: readonly string[], options: KillOptions): Promise<KilledRun> {
  const events: string[] = [];
  const stops: Array<() => void> = [];
  let child: ReturnType<typeof spawnDynenv> | undefined;
  const report = (label: string) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    events.push(label);
    if (events.length === options.killAtEvent) child.kill('SIGKILL');
  };
  for (const folder of options.watch ?? []) {
    for (const directory of await directoriesUnder(folder)) {
      const watcher: FSWatcher = watch(directory, () => report('tree'));
      stops.push(() => watcher.close());
    }
  }
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env };
  if (options.traceGit) {
    writeFileSync(options.traceGit, '');
    env.GIT_TRACE2_EVENT = options.traceGit;
    stops.push(followGitStarts(options.traceGit, (subcommand) => report(`git ${subcommand}`)));
  }
  if (options.events) stops.push(options.events(report));

  // A process group of its own, so that its orphaned children can be waited for, and killed if need be.
  child = spawnDynenv(args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const group = child.pid!;
  running.add(group);
  onTestFinished(async () => {
    if (!running.has(group)) return;
    killGroup(group);
    await groupGone(group);
    running.delete(group);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal })),
  );
  for (const stop of stops) stop();
  // The git commands it left finish by themselves: what they leave is part of what a crash leaves.
  await groupGone(group);
  running.delete(group);
  return { killed: signal === 'SIGKILL', exitCode: code, events, stderr };
}

function killGroup(group: number): void {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Resolves once no process of `group` is left; after 30 s, kills what is left and fails. */
async function groupGone(group: number): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 20) {
    try {
      process.kill(-group, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  killGroup(group);
  throw new Error(`the processes started by dynenv (group ${group}) did not finish within 30 s: killed`);
}

/**
 * Reports the subcommand of every git process that writes a `start` event to `traceFile` (git's trace2 event
 * format: one JSON object a line, appended by each git process), as the lines arrive.
 */
function followGitStarts(traceFile: string, onStart: (subcommand: string) => void): () => void {
  let offset = 0;
  let partial = '';
  const readNew = () => {
    const size = statSync(traceFile).size;
    if (size <= offset) return;
    const buffer = Buffer.alloc(size - offset);
    const fd = openSync(traceFile, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, offset);
    } finally {
      closeSync(fd);
    }
    offset = size;
    const lines = (partial + buffer.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const event = JSON.parse(line) as { event?: string; argv?: string[] };
      if (event.event === 'start') onStart(subcommandOf(event.argv ?? []));
    }
  };
  const watcher = watch(traceFile, readNew);
  return () => {
    watcher.close();
    readNew();
  };
}

/** `git -C dir -c k=v worktree add ...` → `worktree`; `git-upload-pack dir` (a server side) → `upload-pack`. */
function subcommandOf(argv: readonly string[]): string {
  const program = path.basename(argv[0] ?? '');
  if (program.startsWith('git-')) return program.slice('git-'.length);
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '-C' || word === '-c') i++;
    else if (!word.startsWith('-')) return word;
  }
  return '?';
}

/** `folder` and every folder under it. */
export async function directoriesUnder(folder: string): Promise<string[]> {
  const found = [folder];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) found.push(path.join(entry.parentPath, entry.name));
  }
  return found;
}
