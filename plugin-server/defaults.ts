/**
 * The plugin server's defaults, in a module of constants only: the configuration applies them, and
 * `dynenv serve --help` shows them without loading the server.
 */
export const PLUGIN_SERVER_DEFAULTS = {
  /** `HOST`: every interface, as a container should. */
  host: '0.0.0.0',
  /** `PORT` */
  port: 4355,
  /** `GITHUB_API_URL`: GitHub's public REST API. */
  githubApiUrl: 'https://api.github.com',
  /** `DYNENV_GITHUB_TIMEOUT_SECONDS`: shorter than Argo CD's 30 s plugin timeout. */
  githubTimeoutSeconds: 20,
  /** `DYNENV_LAST_GOOD_MAX_AGE_SECONDS`: ten minutes. */
  lastGoodMaxAgeSeconds: 600,
  /** `DYNENV_LOG_LEVEL` */
  logLevel: 'info',
} as const;
