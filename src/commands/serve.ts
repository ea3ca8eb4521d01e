import type { Command } from '../cli.ts';
import { parseCommandLine } from '../cli.ts';

const HELP = `usage: dynenv serve

Runs the plugin server for Argo CD's ApplicationSet plugin generator: one parameter set per open pull request.
Configured from the environment:
  PORT (4355), HOST (0.0.0.0), DYNENV_BASE_PATH (none)
  PLUGIN_TOKEN or PLUGIN_TOKEN_FILE        required: the token of the plugin's ConfigMap
  GITHUB_TOKEN or GITHUB_TOKEN_FILE        or a GitHub App: GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID,
                                           GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE
  GITHUB_API_URL                           GitHub Enterprise or a test server
  GITHUB_WEBHOOK_SECRET (or _FILE)         enables POST /api/v1/webhook/github
  DYNENV_REPOS                             required: comma-separated owner/name allowlist
  DYNENV_CONTROLLER_URL                    the controller to tell which repository a webhook changed
  DYNENV_LAST_GOOD_MAX_AGE_SECONDS (600), DYNENV_GITHUB_TIMEOUT_SECONDS (20), DYNENV_LOG_LEVEL (info)
`;

/** `dynenv serve`: the plugin server, until SIGTERM. */
export const serveCommand: Command = {
  summary: 'run the Argo CD plugin server (configured from the environment)',
  async run(argv) {
    const { values } = parseCommandLine(argv, { help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    // Loaded here so that other commands never pay for Fastify and Octokit.
    const { runPluginServer } = await import('../../plugin-server/main.ts');
    return runPluginServer(process.env);
  },
};
