import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { PLUGIN_SERVER_DEFAULTS } from '../../contract/plugin-server-defaults.ts';

export const serveFlags = defineFlags({});

const defaults = PLUGIN_SERVER_DEFAULTS;

export const serveVerb = defineVerb({
  name: 'serve',
  summary: 'run the Argo CD plugin server (configured from the environment)',
  description:
    "Runs the plugin server for Argo CD's ApplicationSet plugin generator: one parameter set per open pull request,\n" +
    'until SIGTERM. It is configured from the environment; a missing or bad setting stops it before it listens.',
  flags: serveFlags,
  environment: [
    { name: 'PORT', description: 'the port to listen on', default: String(defaults.port) },
    { name: 'HOST', description: 'the interface to listen on', default: defaults.host },
    { name: 'DYNENV_BASE_PATH', description: 'a path prefix of every route, for a baseUrl with a path', default: 'none' },
    { name: 'PLUGIN_TOKEN', description: "required (or PLUGIN_TOKEN_FILE): the token of the plugin's ConfigMap" },
    { name: 'GITHUB_TOKEN', description: 'required (or GITHUB_TOKEN_FILE), unless a GitHub App is set' },
    { name: 'GITHUB_APP_ID', description: 'a GitHub App, with GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY (or _FILE)' },
    { name: 'GITHUB_API_URL', description: 'GitHub Enterprise or a test server', default: defaults.githubApiUrl },
    {
      name: 'GITHUB_WEBHOOK_SECRET',
      description: '(or GITHUB_WEBHOOK_SECRET_FILE) enables the webhook route, POST DYNENV_WEBHOOK_PATH',
      default: 'webhooks off: the path answers 404 WEBHOOK_DISABLED',
    },
    { name: 'DYNENV_WEBHOOK_PATH', description: "the webhook route's path (argocd.plugin.webhook.path)", default: defaults.webhookPath },
    { name: 'DYNENV_REPOS', description: 'required: the comma-separated owner/name repositories the server may list' },
    { name: 'DYNENV_CONTROLLER_URL', description: 'the controller (dynenv controller) to tell which repository a webhook changed', default: 'none' },
    {
      name: 'DYNENV_LAST_GOOD_MAX_AGE_SECONDS',
      description: 'how long a last good listing stands in for a failing GitHub',
      default: String(defaults.lastGoodMaxAgeSeconds),
    },
    { name: 'DYNENV_GITHUB_TIMEOUT_SECONDS', description: 'the deadline of one listing, retries included', default: String(defaults.githubTimeoutSeconds) },
    { name: 'DYNENV_LOG_LEVEL', description: 'fatal, error, warn, info, debug, trace or silent', default: defaults.logLevel },
  ],
});
