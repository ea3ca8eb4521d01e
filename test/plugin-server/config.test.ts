import { describe, expect, it } from 'vitest';
import { ConfigurationError, DEFAULT_GITHUB_API_URL, loadPluginServerConfig } from '../../plugin-server/config.ts';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIBVQ==\n-----END PRIVATE KEY-----\n';
const files: Record<string, string> = {
  '/secrets/plugin-token': '  s3cret-from-file\n',
  '/secrets/empty': ' \n',
  '/secrets/app.pem': PEM,
};
const readFile = (path: string) => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return content;
};
const base = { PLUGIN_TOKEN: 's3cret', GITHUB_TOKEN: 'ghp_x', DYNENV_REPOS: 'acme/shop' };

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadPluginServerConfig(env, readFile);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('plugin server configuration from the environment', () => {
  it('has sensible defaults around the three required settings', () => {
    expect(loadPluginServerConfig(base, readFile)).toEqual({
      host: '0.0.0.0',
      port: 4355,
      basePath: '',
      pluginToken: 's3cret',
      githubCredentials: { kind: 'token', token: 'ghp_x' },
      githubApiUrl: DEFAULT_GITHUB_API_URL,
      githubTimeoutMs: 20_000,
      webhookSecret: undefined,
      webhookPath: '/api/v1/webhook/github',
      repositories: ['acme/shop'],
      lastKnownGoodMaxAgeMs: 600_000,
      controllerUrl: undefined,
      logLevel: 'info',
    });
  });

  it('reads every setting', () => {
    const config = loadPluginServerConfig(
      {
        HOST: '127.0.0.1',
        PORT: '8080',
        DYNENV_BASE_PATH: '/dynenv/',
        PLUGIN_TOKEN_FILE: '/secrets/plugin-token',
        GITHUB_APP_ID: '12345',
        GITHUB_APP_INSTALLATION_ID: '678',
        GITHUB_APP_PRIVATE_KEY_FILE: '/secrets/app.pem',
        GITHUB_API_URL: 'https://ghe.example.test/api/v3/',
        GITHUB_WEBHOOK_SECRET: ' hook ',
        DYNENV_REPOS: 'acme/shop, acme/api,',
        DYNENV_LAST_GOOD_MAX_AGE_SECONDS: '120',
        DYNENV_GITHUB_TIMEOUT_SECONDS: '10',
        DYNENV_LOG_LEVEL: 'debug',
        DYNENV_CONTROLLER_URL: 'http://127.0.0.1:4356/',
        DYNENV_WEBHOOK_PATH: '/hooks/github/',
      },
      readFile,
    );
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8080,
      basePath: '/dynenv',
      pluginToken: 's3cret-from-file',
      githubCredentials: { kind: 'app', appId: 12345, installationId: 678, privateKey: PEM.trim() },
      githubApiUrl: 'https://ghe.example.test/api/v3',
      githubTimeoutMs: 10_000,
      webhookSecret: 'hook',
      webhookPath: '/hooks/github',
      repositories: ['acme/shop', 'acme/api'],
      lastKnownGoodMaxAgeMs: 120_000,
      controllerUrl: 'http://127.0.0.1:4356',
      logLevel: 'debug',
    });
  });

  it.each<[string, Record<string, string | undefined>, string]>([
    ['no plugin token', { ...base, PLUGIN_TOKEN: undefined }, 'PLUGIN_TOKEN or PLUGIN_TOKEN_FILE is required'],
    ['an empty plugin token (an empty variable is unset)', { ...base, PLUGIN_TOKEN: '' }, 'PLUGIN_TOKEN or PLUGIN_TOKEN_FILE is required'],
    ['a blank plugin token', { ...base, PLUGIN_TOKEN: '   ' }, 'PLUGIN_TOKEN: is empty'],
    ['a blank token file', { ...base, PLUGIN_TOKEN: undefined, PLUGIN_TOKEN_FILE: '/secrets/empty' }, 'PLUGIN_TOKEN_FILE (/secrets/empty): is empty'],
    ['an unreadable token file', { ...base, PLUGIN_TOKEN: undefined, PLUGIN_TOKEN_FILE: '/nope' }, 'PLUGIN_TOKEN_FILE: cannot read /nope (ENOENT)'],
    ['both token and file', { ...base, PLUGIN_TOKEN_FILE: '/secrets/plugin-token' }, 'PLUGIN_TOKEN and PLUGIN_TOKEN_FILE are both set: set one'],
    [
      'a token with white space inside',
      { ...base, PLUGIN_TOKEN: 'two words' },
      'PLUGIN_TOKEN: must not contain white space (Argo CD sends it as "Bearer <token>")',
    ],
    [
      'no GitHub credentials',
      { ...base, GITHUB_TOKEN: undefined },
      'GITHUB_TOKEN (or GITHUB_TOKEN_FILE), or a GitHub App (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE) is required',
    ],
    ['a token and an app', { ...base, GITHUB_APP_ID: '1' }, 'GITHUB_TOKEN and GITHUB_APP_* are both set: use a token or a GitHub App, not both'],
    [
      'an app without installation',
      { ...base, GITHUB_TOKEN: undefined, GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: PEM },
      'GITHUB_APP_INSTALLATION_ID: is required with a GitHub App',
    ],
    [
      'an app id that is not a number',
      { ...base, GITHUB_TOKEN: undefined, GITHUB_APP_ID: 'my-app', GITHUB_APP_INSTALLATION_ID: '2', GITHUB_APP_PRIVATE_KEY: PEM },
      'GITHUB_APP_ID: must be a positive integer (got "my-app")',
    ],
    [
      'an app key that is not PEM',
      { ...base, GITHUB_TOKEN: undefined, GITHUB_APP_ID: '1', GITHUB_APP_INSTALLATION_ID: '2', GITHUB_APP_PRIVATE_KEY: 'abc' },
      'GITHUB_APP_PRIVATE_KEY: must be a PEM private key (-----BEGIN ... PRIVATE KEY-----)',
    ],
    ['no allowlist', { ...base, DYNENV_REPOS: undefined }, 'DYNENV_REPOS: is required: the comma-separated owner/name repositories the server may list'],
    ['an allowlist of commas', { ...base, DYNENV_REPOS: ' , ' }, 'DYNENV_REPOS: lists no repository'],
    ['a repository that is not owner/name', { ...base, DYNENV_REPOS: 'acme/shop,shop' }, 'DYNENV_REPOS: "shop" is not owner/name'],
    ['a repository twice', { ...base, DYNENV_REPOS: 'acme/shop,ACME/shop' }, 'DYNENV_REPOS: lists ACME/shop twice'],
    ['a port that is not a port', { ...base, PORT: '70000' }, 'PORT: must be 0-65535'],
    ['a port that is not a number', { ...base, PORT: 'http' }, 'PORT: must be a port number (0-65535)'],
    ['an API URL that is not http(s)', { ...base, GITHUB_API_URL: 'ftp://x' }, 'GITHUB_API_URL: must be an http(s) URL'],
    [
      'a base path with spaces',
      { ...base, DYNENV_BASE_PATH: '/my path' },
      'DYNENV_BASE_PATH: must be a path such as /dynenv (letters, digits, ".", "_", "~", "-")',
    ],
    [
      'a webhook path that is no path',
      { ...base, DYNENV_WEBHOOK_PATH: 'hooks' },
      'DYNENV_WEBHOOK_PATH: must be a path such as /api/v1/webhook/github (letters, digits, ".", "_", "~", "-")',
    ],
    ["a timeout past Argo CD's own 30 s", { ...base, DYNENV_GITHUB_TIMEOUT_SECONDS: '30' }, 'DYNENV_GITHUB_TIMEOUT_SECONDS: must be at most 29'],
    ['a bound that is not a number', { ...base, DYNENV_LAST_GOOD_MAX_AGE_SECONDS: 'ten' }, 'DYNENV_LAST_GOOD_MAX_AGE_SECONDS: must be a number of seconds'],
    ['an unknown log level', { ...base, DYNENV_LOG_LEVEL: 'verbose' }, 'DYNENV_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent'],
    [
      'a controller URL that is not one',
      { ...base, DYNENV_CONTROLLER_URL: '127.0.0.1:4356' },
      'DYNENV_CONTROLLER_URL: must be an http(s) URL such as http://127.0.0.1:4356',
    ],
  ])('refuses %s', (_case, env, message) => {
    expect(problems(env)).toEqual([message]);
  });

  it('lists every problem at once, one per line', () => {
    const error = (() => {
      try {
        loadPluginServerConfig({ DYNENV_REPOS: 'x' }, readFile);
      } catch (e) {
        return e as ConfigurationError;
      }
      throw new Error('expected an error');
    })();
    expect(error.message).toBe(
      [
        'invalid configuration:',
        '  - PLUGIN_TOKEN or PLUGIN_TOKEN_FILE is required',
        '  - GITHUB_TOKEN (or GITHUB_TOKEN_FILE), or a GitHub App (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE) is required',
        '  - DYNENV_REPOS: "x" is not owner/name',
      ].join('\n'),
    );
    expect(error.exitCode).toBe(1);
  });
});
