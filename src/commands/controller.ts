import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { CONTROLLER_DEFAULTS } from '../../contract/plugin-server-defaults.ts';

export const controllerFlags = defineFlags({});

export const controllerVerb = defineVerb({
  name: 'controller',
  summary: 'run the controller beside the plugin server (refreshes ApplicationSets after webhooks)',
  description:
    "Runs the controller beside the plugin server (a second container of its pod): it watches Argo CD's\n" +
    "ApplicationSets and, when the plugin server says a webhook changed a repository's pull requests, sets Argo CD's\n" +
    'refresh annotation on the ApplicationSets that ask the plugin about that repository. Runs until SIGTERM.',
  flags: controllerFlags,
  environment: [
    { name: 'KUBECONFIG', description: 'as kubectl reads it', default: "the pod's ServiceAccount" },
    { name: 'DYNENV_PLUGIN_CONFIGMAP', description: "required: the plugin's ConfigMap (configMapRef of the generators)" },
    { name: 'DYNENV_REPOS', description: 'required: the comma-separated owner/name repositories, as for dynenv serve' },
    { name: 'DYNENV_ARGOCD_NAMESPACE', description: "Argo CD's namespace", default: CONTROLLER_DEFAULTS.argocdNamespace },
    { name: 'DYNENV_CONTROLLER_HOST', description: 'the interface the plugin server reaches it on', default: CONTROLLER_DEFAULTS.host },
    { name: 'DYNENV_CONTROLLER_PORT', description: 'its port', default: String(CONTROLLER_DEFAULTS.port) },
    { name: 'DYNENV_LOG_LEVEL', description: 'fatal, error, warn, info, debug, trace or silent', default: CONTROLLER_DEFAULTS.logLevel },
  ],
});
