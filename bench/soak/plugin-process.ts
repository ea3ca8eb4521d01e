/**
 * Starts server-process.ts against the fake GitHub and keeps an eye on it: its log lines by level, any line that
 * carries a secret, its memory on request, and whether it exited before it was told to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SoakReply } from './server-process.ts';

export interface PluginProcessOptions {
  readonly githubApiUrl: string;
  readonly githubToken: string;
  readonly pluginToken: string;
  readonly webhookSecret: string;
  readonly repository: string;
  /** DYNENV_GITHUB_TIMEOUT_SECONDS */
  readonly githubTimeoutSeconds: number;
  /** DYNENV_LAST_GOOD_MAX_AGE_SECONDS */
  readonly lastGoodMaxAgeSeconds: number;
}

export interface PluginProcess {
  readonly url: string;
  /** Log lines by pino level name. */
  readonly logLevels: Record<string, number>;
  /** Log lines that contain one of the secrets (should stay empty). */
  readonly leakedSecretLines: string[];
  /** The first error-level lines, for the report. */
  readonly errorLines: string[];
  /** Resident set size and heap after a forced garbage collection. */
  memory(): Promise<{ rss: number; heapUsed: number; collected: boolean }>;
  /** The exit code if the process ended on its own. */
  exitedEarly(): number | null | undefined;
  stop(): Promise<void>;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export async function startPluginProcess(options: PluginProcessOptions): Promise<PluginProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./server-process.ts', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      PLUGIN_TOKEN: options.pluginToken,
      GITHUB_TOKEN: options.githubToken,
      GITHUB_API_URL: options.githubApiUrl,
      GITHUB_WEBHOOK_SECRET: options.webhookSecret,
      DYNENV_REPOS: options.repository,
      DYNENV_GITHUB_TIMEOUT_SECONDS: String(options.githubTimeoutSeconds),
      DYNENV_LAST_GOOD_MAX_AGE_SECONDS: String(options.lastGoodMaxAgeSeconds),
      DYNENV_LOG_LEVEL: 'warn',
    },
  });
  const secrets = [options.pluginToken, options.githubToken, options.webhookSecret];
  const logLevels: Record<string, number> = {};
  const leakedSecretLines: string[] = [];
  const errorLines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let level = 'unparsed';
    try {
      level = LEVELS[(JSON.parse(line) as { level: number }).level] ?? 'unparsed';
    } catch {
      // counted as unparsed
    }
    logLevels[level] = (logLevels[level] ?? 0) + 1;
    if ((level === 'error' || level === 'fatal' || level === 'unparsed') && errorLines.length < 5) errorLines.push(line.slice(0, 400));
    if (secrets.some((secret) => line.includes(secret))) leakedSecretLines.push(line.slice(0, 400));
  });
  let exitCode: number | null | undefined;
  let stopping = false;
  child.once('exit', (code) => {
    if (!stopping) exitCode = code;
  });

  const replies: Array<(reply: SoakReply) => void> = [];
  child.on('message', (reply: SoakReply) => replies.shift()?.(reply));
  const next = () => new Promise<SoakReply>((resolve) => replies.push(resolve));
  const ready = await next();
  if (!('port' in ready)) throw new Error('the plugin server did not report its port');

  return {
    url: `http://127.0.0.1:${ready.port}`,
    logLevels,
    leakedSecretLines,
    errorLines,
    async memory() {
      const reply = next();
      child.send('memory');
      const answer = await reply;
      if (!('memory' in answer)) throw new Error('unexpected reply from the plugin server');
      return { rss: answer.memory.rss, heapUsed: answer.memory.heapUsed, collected: answer.collected };
    },
    exitedEarly: () => exitCode,
    async stop() {
      stopping = true;
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
