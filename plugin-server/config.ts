/**
 * The plugin server's configuration, read from the environment and validated with zod before anything starts:
 * a missing or bad setting stops the server with one line per problem, naming the variable.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../contract/errors.ts';
import { hasUrlCredentials, redactCredentials } from '../contract/redact-credentials.ts';
import { PLUGIN_SERVER_DEFAULTS } from '../contract/plugin-server-defaults.ts';
import { REPOSITORY_NAME } from './repositories.ts';

/** How the server authenticates to GitHub. */
export type GitHubCredentials =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'app'; readonly appId: number; readonly installationId: number; readonly privateKey: string };

export interface PluginServerConfig {
  /** Interface to listen on (`HOST`). @default '0.0.0.0' */
  readonly host: string;
  /** Port to listen on (`PORT`). @default 4355 */
  readonly port: number;
  /** Path prefix of every route (`DYNENV_BASE_PATH`), for a `baseUrl` with a path. @default '' */
  readonly basePath: string;
  /** The bearer token Argo CD must send (`PLUGIN_TOKEN` or the file `PLUGIN_TOKEN_FILE`), trimmed. Required. */
  readonly pluginToken: string;
  /** `GITHUB_TOKEN` (or `GITHUB_TOKEN_FILE`), or a GitHub App (`GITHUB_APP_ID`, `GITHUB_APP_INSTALLATION_ID`,
   * `GITHUB_APP_PRIVATE_KEY` or `GITHUB_APP_PRIVATE_KEY_FILE`). Required. */
  readonly githubCredentials: GitHubCredentials;
  /** GitHub's REST API (`GITHUB_API_URL`): GitHub Enterprise or a test server. @default 'https://api.github.com' */
  readonly githubApiUrl: string;
  /** Deadline of one listing of a repository, retries included (`DYNENV_GITHUB_TIMEOUT_SECONDS`); shorter than
   * Argo CD's 30 s plugin timeout so a slow GitHub still gets a last-known-good answer. @default 20 s */
  readonly githubTimeoutMs: number;
  /** Secret of the GitHub webhook (`GITHUB_WEBHOOK_SECRET` or `_FILE`); the webhook route exists only with one.
   * @default none */
  readonly webhookSecret: string | undefined;
  /** Path of the webhook route (`DYNENV_WEBHOOK_PATH`), after the base path: what the Ingress routes to the server
   * (argocd.plugin.webhook.path). @default '/api/v1/webhook/github' */
  readonly webhookPath: string;
  /** The repositories (`owner/name`) the server may be asked about (`DYNENV_REPOS`, comma-separated). Required. */
  readonly repositories: readonly string[];
  /** How long a last good listing may stand in for a failing GitHub (`DYNENV_LAST_GOOD_MAX_AGE_SECONDS`).
   * @default 600 s */
  readonly lastKnownGoodMaxAgeMs: number;
  /** Where the controller container listens (`DYNENV_CONTROLLER_URL`): told which repository a webhook changed, after
   * the re-list, so it refreshes that repository's ApplicationSets at once. @default none (previews wait for the poll) */
  readonly controllerUrl: string | undefined;
  /** Pino log level (`DYNENV_LOG_LEVEL`). @default 'info' */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** GitHub's public REST API, where GITHUB_API_URL points unless set. */
export const DEFAULT_GITHUB_API_URL = PLUGIN_SERVER_DEFAULTS.githubApiUrl;

/** A configuration the server cannot start with; the CLI prints the message and exits 1. */
export class ConfigurationError extends UserError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

// An empty variable is an unset one: `FOO=` in a manifest usually means "not configured".
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const seconds = (fallback: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : Number(v)),
    z.number({ error: 'must be a number of seconds' }).positive('must be positive').max(max, `must be at most ${max}`),
  );

const EnvironmentSchema = z.object({
  HOST: optionalText.default(PLUGIN_SERVER_DEFAULTS.host),
  PORT: z.preprocess(
    (v) => (v === '' || v === undefined ? PLUGIN_SERVER_DEFAULTS.port : Number(v)),
    z.number({ error: 'must be a port number (0-65535)' }).int('must be a whole number').min(0, 'must be 0-65535').max(65535, 'must be 0-65535'),
  ),
  DYNENV_BASE_PATH: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\/+$/, '') : ''),
    z.string().regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'must be a path such as /dynenv (letters, digits, ".", "_", "~", "-")'),
  ),
  PLUGIN_TOKEN: optionalText,
  PLUGIN_TOKEN_FILE: optionalText,
  GITHUB_TOKEN: optionalText,
  GITHUB_TOKEN_FILE: optionalText,
  GITHUB_APP_ID: optionalText,
  GITHUB_APP_INSTALLATION_ID: optionalText,
  GITHUB_APP_PRIVATE_KEY: optionalText,
  GITHUB_APP_PRIVATE_KEY_FILE: optionalText,
  GITHUB_API_URL: z.preprocess(
    (v) => (v === '' || v === undefined ? DEFAULT_GITHUB_API_URL : v),
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      // The URL is logged at start-up and in GitHub errors; the token belongs in GITHUB_TOKEN (or the App).
      .refine((url) => !hasUrlCredentials(url), {
        error: (issue) => `must not hold credentials (got ${JSON.stringify(redactCredentials(String(issue.input)))}): put the token in GITHUB_TOKEN`,
      }),
  ),
  GITHUB_WEBHOOK_SECRET: optionalText,
  GITHUB_WEBHOOK_SECRET_FILE: optionalText,
  DYNENV_WEBHOOK_PATH: z.preprocess(
    (v) => (v === '' || v === undefined ? PLUGIN_SERVER_DEFAULTS.webhookPath : typeof v === 'string' ? v.replace(/(.)\/+$/, '$1') : v),
    z.string().regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'must be a path such as /api/v1/webhook/github (letters, digits, ".", "_", "~", "-")'),
  ),
  DYNENV_REPOS: optionalText,
  DYNENV_CONTROLLER_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4356' }).optional(),
  ),
  DYNENV_GITHUB_TIMEOUT_SECONDS: seconds(PLUGIN_SERVER_DEFAULTS.githubTimeoutSeconds, 29),
  DYNENV_LAST_GOOD_MAX_AGE_SECONDS: seconds(PLUGIN_SERVER_DEFAULTS.lastGoodMaxAgeSeconds, 7 * 24 * 3600),
  DYNENV_LOG_LEVEL: z.preprocess(
    (v) => (v === '' || v === undefined ? PLUGIN_SERVER_DEFAULTS.logLevel : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  ),
});

/** GitHub access alone (the controller's): credentials when any are set, else undefined, and the API URL. */
export interface GitHubAccess {
  readonly credentials: GitHubCredentials | undefined;
  readonly apiUrl: string;
}

const GITHUB_VARIABLES = [
  'GITHUB_TOKEN',
  'GITHUB_TOKEN_FILE',
  'GITHUB_APP_ID',
  'GITHUB_APP_INSTALLATION_ID',
  'GITHUB_APP_PRIVATE_KEY',
  'GITHUB_APP_PRIVATE_KEY_FILE',
] as const;

/**
 * The GitHub settings of `env` read as the plugin server reads them, but optional: without credentials the
 * caller does without GitHub. @throws ConfigurationError naming each bad variable
 */
export function loadGitHubAccess(
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadSecretFile = (path) => readFileSync(path, 'utf8'),
): GitHubAccess {
  const parsed = EnvironmentSchema.pick({ ...Object.fromEntries(GITHUB_VARIABLES.map((name) => [name, true])), GITHUB_API_URL: true } as {
    [K in (typeof GITHUB_VARIABLES)[number] | 'GITHUB_API_URL']: true;
  }).safeParse(env);
  if (!parsed.success) throw new ConfigurationError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const apiUrl = parsed.data.GITHUB_API_URL.replace(/\/+$/, '');
  if (GITHUB_VARIABLES.every((name) => parsed.data[name] === undefined)) return { credentials: undefined, apiUrl };
  const problems: string[] = [];
  const credentials = readGitHubCredentials(
    parsed.data as z.infer<typeof EnvironmentSchema>,
    (name, value, file, required) => readSecret(name, value, file, required, readFile, problems),
    problems,
  );
  if (problems.length > 0 || credentials === undefined) throw new ConfigurationError(problems);
  return { credentials, apiUrl };
}

/** Reads a secret file; tests pass their own. */
export type ReadSecretFile = (path: string) => string;

/**
 * The configuration in `env`, or a {@link ConfigurationError} listing every problem (not just the first).
 * @param readFile reads `*_FILE` secrets. @default fs.readFileSync as UTF-8
 */
export function loadPluginServerConfig(
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadSecretFile = (path) => readFileSync(path, 'utf8'),
): PluginServerConfig {
  const problems: string[] = [];
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(problems);
  }
  const e = parsed.data;
  const secret = (name: string, value: string | undefined, file: string | undefined, required: boolean) =>
    readSecret(name, value, file, required, readFile, problems);

  const pluginToken = secret('PLUGIN_TOKEN', e.PLUGIN_TOKEN, e.PLUGIN_TOKEN_FILE, true);
  if (pluginToken !== undefined && /\s/.test(pluginToken)) {
    problems.push('PLUGIN_TOKEN: must not contain white space (Argo CD sends it as "Bearer <token>")');
  }
  const githubCredentials = readGitHubCredentials(e, secret, problems);
  const webhookSecret = secret('GITHUB_WEBHOOK_SECRET', e.GITHUB_WEBHOOK_SECRET, e.GITHUB_WEBHOOK_SECRET_FILE, false);
  const repositories = readRepositories(e.DYNENV_REPOS, problems);

  if (problems.length > 0 || pluginToken === undefined || githubCredentials === undefined) {
    throw new ConfigurationError(problems);
  }
  return {
    host: e.HOST,
    port: e.PORT,
    basePath: e.DYNENV_BASE_PATH,
    pluginToken,
    githubCredentials,
    githubApiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''),
    githubTimeoutMs: e.DYNENV_GITHUB_TIMEOUT_SECONDS * 1000,
    webhookSecret,
    webhookPath: e.DYNENV_WEBHOOK_PATH,
    repositories,
    lastKnownGoodMaxAgeMs: e.DYNENV_LAST_GOOD_MAX_AGE_SECONDS * 1000,
    controllerUrl: e.DYNENV_CONTROLLER_URL?.replace(/\/+$/, ''),
    logLevel: e.DYNENV_LOG_LEVEL,
  };
}

function readSecret(
  name: string,
  value: string | undefined,
  file: string | undefined,
  required: boolean,
  readFile: ReadSecretFile,
  problems: string[],
): string | undefined {
  if (value !== undefined && file !== undefined) {
    problems.push(`${name} and ${name}_FILE are both set: set one`);
    return undefined;
  }
  let raw = value;
  if (file !== undefined) {
    try {
      raw = readFile(file);
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return undefined;
    }
  }
  if (raw === undefined) {
    if (required) problems.push(`${name} or ${name}_FILE is required`);
    return undefined;
  }
  const trimmed = raw.trim();
  if (trimmed === '') {
    problems.push(`${file !== undefined ? `${name}_FILE (${file})` : name}: is empty`);
    return undefined;
  }
  return trimmed;
}

function readGitHubCredentials(
  e: z.infer<typeof EnvironmentSchema>,
  secret: (name: string, value: string | undefined, file: string | undefined, required: boolean) => string | undefined,
  problems: string[],
): GitHubCredentials | undefined {
  const wantsApp = [e.GITHUB_APP_ID, e.GITHUB_APP_INSTALLATION_ID, e.GITHUB_APP_PRIVATE_KEY, e.GITHUB_APP_PRIVATE_KEY_FILE].some((v) => v !== undefined);
  const wantsToken = e.GITHUB_TOKEN !== undefined || e.GITHUB_TOKEN_FILE !== undefined;
  if (wantsApp && wantsToken) {
    problems.push('GITHUB_TOKEN and GITHUB_APP_* are both set: use a token or a GitHub App, not both');
    return undefined;
  }
  if (!wantsApp) {
    const token = secret('GITHUB_TOKEN', e.GITHUB_TOKEN, e.GITHUB_TOKEN_FILE, false);
    if (token === undefined && !problems.some((p) => p.startsWith('GITHUB_TOKEN'))) {
      problems.push(
        'GITHUB_TOKEN (or GITHUB_TOKEN_FILE), or a GitHub App (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE) is required',
      );
    }
    return token === undefined ? undefined : { kind: 'token', token };
  }
  const id = (name: string, value: string | undefined) => {
    if (value === undefined) problems.push(`${name}: is required with a GitHub App`);
    else if (!/^[1-9]\d{0,15}$/.test(value)) problems.push(`${name}: must be a positive integer (got "${value}")`);
    else return Number(value);
    return undefined;
  };
  const appId = id('GITHUB_APP_ID', e.GITHUB_APP_ID);
  const installationId = id('GITHUB_APP_INSTALLATION_ID', e.GITHUB_APP_INSTALLATION_ID);
  const privateKey = secret('GITHUB_APP_PRIVATE_KEY', e.GITHUB_APP_PRIVATE_KEY, e.GITHUB_APP_PRIVATE_KEY_FILE, true);
  if (privateKey !== undefined && !privateKey.includes('PRIVATE KEY-----')) {
    problems.push('GITHUB_APP_PRIVATE_KEY: must be a PEM private key (-----BEGIN ... PRIVATE KEY-----)');
    return undefined;
  }
  if (appId === undefined || installationId === undefined || privateKey === undefined) return undefined;
  return { kind: 'app', appId, installationId, privateKey };
}

function readRepositories(list: string | undefined, problems: string[]): string[] {
  if (list === undefined) {
    problems.push('DYNENV_REPOS: is required: the comma-separated owner/name repositories the server may list');
    return [];
  }
  const names = list
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (names.length === 0) problems.push('DYNENV_REPOS: lists no repository');
  for (const name of names) {
    if (!REPOSITORY_NAME.test(name)) problems.push(`DYNENV_REPOS: "${name}" is not owner/name`);
  }
  const lower = names.map((n) => n.toLowerCase());
  const duplicates = names.filter((_, i) => lower.indexOf(lower[i] ?? '') !== i);
  if (duplicates.length > 0) problems.push(`DYNENV_REPOS: lists ${duplicates.join(', ')} twice`);
  return names;
}
