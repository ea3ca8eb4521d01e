import type { Command } from '../cli.ts';
import { parseCommandLine } from '../cli.ts';

const HELP = `usage: dynenv controller

Runs the controller beside the plugin server (a second container of its pod): it watches Argo CD's
ApplicationSets and, when the plugin server says a webhook changed a repository's pull requests, sets Argo CD's
refresh annotation on the ApplicationSets that ask the plugin about that repository.
Configured from the environment:
  KUBECONFIG                               as kubectl reads it; else the pod's ServiceAccount
  DYNENV_PLUGIN_CONFIGMAP                  required: the plugin's ConfigMap (configMapRef of the generators)
  DYNENV_REPOS                             required: comma-separated owner/name, as for dynenv serve
  DYNENV_ARGOCD_NAMESPACE (argocd), DYNENV_CONTROLLER_HOST (127.0.0.1), DYNENV_CONTROLLER_PORT (4356),
  DYNENV_LOG_LEVEL (info)
`;

/** `dynenv controller`: the Kubernetes side of the plugin server, until SIGTERM. */
export const controllerCommand: Command = {
  summary: 'run the controller beside the plugin server (refreshes ApplicationSets after webhooks)',
  async run(argv) {
    const { values } = parseCommandLine(argv, { help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const { runController } = await import('../../plugin-server/controller/main.ts');
    return runController(process.env);
  },
};
