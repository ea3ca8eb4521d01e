/**
 * The git command line, run without a shell (arguments are never parsed by one, so a branch or path cannot
 * inject anything), in a fixed locale so that dynenv can read git's answers, and never waiting for a password
 * prompt nobody will answer.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../../contract/errors.ts';
import { redactCredentials } from '../../contract/redact-credentials.ts';

/** A git command that failed. Its message holds the command and git's own explanation. */
export class GitError extends UserError {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    const reason = (stderr.trim() || stdout.trim() || `exit code ${code}`).split('\n').slice(-4).join('\n  ');
    super(redactCredentials(`git ${args.join(' ')} failed: ${reason}`));
    this.name = 'GitError';
  }
}

export interface GitResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to git's standard input. @default nothing */
  readonly input?: string;
  /** Extra environment variables. @default none */
  readonly env?: Readonly<Record<string, string>>;
}

/** A git repository (or worktree) at `cwd`. */
export class Git {
  /** @param cwd the folder git runs in: a repository, one of its worktrees, or a folder inside one */
  constructor(readonly cwd: string) {}

  /** Runs `git <args>` and returns its standard output; throws a GitError when git fails. */
  async run(args: readonly string[], options: RunOptions = {}): Promise<string> {
    return (await this.runBuffer(args, options)).toString('utf8');
  }

  /** Like `run`, with the output as bytes (file contents). */
  async runBuffer(args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
    const result = await this.attempt(args, options);
    if (result.code !== 0) throw new GitError(args, result.code, result.stdout.toString('utf8'), result.stderr);
    return result.stdout;
  }

  /** Runs `git <args>` and returns what happened, failure included. */
  attempt(args: readonly string[], options: RunOptions = {}): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, {
        cwd: this.cwd,
        env: {
          ...process.env,
          // Messages in English: dynenv recognises a few of them (a rejected push, a missing remote ref).
          LC_ALL: 'C',
          // Fail instead of prompting for credentials on a terminal nobody watches.
          GIT_TERMINAL_PROMPT: '0',
          // Reading commands must not take the index lock a concurrent `git commit` of the user needs.
          GIT_OPTIONAL_LOCKS: '0',
          ...options.env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT' ? new UserError('git is not installed (or not on PATH): dynenv needs the git command line') : error);
      });
      // git quotes the remote's URL in its messages (`unable to access 'https://user:token@…'`): every message
      // dynenv may repeat is read without the credentials in it.
      child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr: redactCredentials(Buffer.concat(stderr).toString('utf8')) }));
      // git may exit before reading its input (a bad revision): ignore the broken pipe, the exit code tells.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }

  /** The commit `revision` names (full hash), or undefined when it names nothing. */
  async resolveCommit(revision: string): Promise<string | undefined> {
    const result = await this.attempt(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  /** The tree of `revision` (full hash). */
  async treeOf(revision: string): Promise<string> {
    return (await this.run(['rev-parse', '--verify', '--end-of-options', `${revision}^{tree}`])).trim();
  }

  /** The text of `file` (path from the repository root, with "/") at `revision`, or undefined when it has none. */
  async readFileAt(revision: string, file: string): Promise<string | undefined> {
    const result = await this.attempt(['cat-file', 'blob', `${revision}:${file}`]);
    return result.code === 0 ? result.stdout.toString('utf8') : undefined;
  }

  /**
   * The text of each `revision:path` in one git process (`cat-file --batch`): reading a file at every commit
   * of a long history costs one process, not one per commit. Undefined where the object does not exist.
   */
  async readObjects(specs: readonly string[]): Promise<Array<string | undefined>> {
    if (specs.length === 0) return [];
    const output = await this.runBuffer(['cat-file', '--batch'], { input: `${specs.join('\n')}\n` });
    const texts: Array<string | undefined> = [];
    let offset = 0;
    for (let index = 0; index < specs.length; index++) {
      const end = output.indexOf(0x0a, offset);
      const header = output.subarray(offset, end).toString('utf8');
      offset = end + 1;
      const size = /^[0-9a-f]+ \w+ (\d+)$/.exec(header)?.[1];
      if (size === undefined) {
        texts.push(undefined); // "<spec> missing" or "<spec> ambiguous"
        continue;
      }
      texts.push(output.subarray(offset, offset + Number(size)).toString('utf8'));
      offset += Number(size) + 1;
    }
    return texts;
  }
}
