/**
 * The plugin server's defaults, in a module of constants only: the configuration applies them, and
 * `dynenv serve --help` shows them without loading the server.
 */
import { DEFAULT_GITHUB_API_URL } from './github-api-url.ts';
import { PLUGIN_ROUTES } from './plugin-routes.ts';

export const PLUGIN_SERVER_DEFAULTS = {
  /** `HOST`: every interface, as a container should. */
  host: '0.0.0.0',
  /** `PORT` */
  port: 4355,
  /** `GITHUB_API_URL`: GitHub's public REST API. */
  githubApiUrl: DEFAULT_GITHUB_API_URL,
  /** `DYNENV_GITHUB_TIMEOUT_SECONDS`: shorter than Argo CD's 30 s plugin timeout. */
  githubTimeoutSeconds: 20,
  /** `DYNENV_LAST_GOOD_MAX_AGE_SECONDS`: ten minutes. */
  lastGoodMaxAgeSeconds: 600,
  /** `DYNENV_LOG_LEVEL` */
  logLevel: 'info',
  /** `DYNENV_WEBHOOK_PATH`: the path of GitHub's webhook (argocd.plugin.webhook.path in dynenv.yaml). */
  webhookPath: PLUGIN_ROUTES.webhook,
} as const;

/** The defaults of `dynenv controller`, the plugin server's companion in the same pod. */
export const CONTROLLER_DEFAULTS = {
  /** `DYNENV_CONTROLLER_HOST`: loopback, so only the plugin server's container of the same pod reaches it. */
  host: '127.0.0.1',
  /** `DYNENV_CONTROLLER_PORT` */
  port: 4356,
  /** `DYNENV_ARGOCD_NAMESPACE` */
  argocdNamespace: 'argocd',
  /** `DYNENV_LOG_LEVEL` */
  logLevel: 'info',
  /** `DYNENV_SWEEP_GRACE_MINUTES` of `dynenv sweep`: how old an orphaned preview namespace must be to go. */
  sweepGraceMinutes: 60,
} as const;
