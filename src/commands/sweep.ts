import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { CONTROLLER_DEFAULTS, PLUGIN_SERVER_DEFAULTS } from '../../contract/plugin-server-defaults.ts';

export const sweepFlags = defineFlags({
  'dry-run': { type: 'boolean', description: 'list what would be deleted, delete nothing' },
});

export const sweepVerb = defineVerb({
  name: 'sweep',
  summary: 'delete preview namespaces no Application owns and whose pull request is closed',
  description:
    'Deletes preview namespaces nothing owns any more: labelled as dynenv previews, not deployed to by any Argo CD\n' +
    'Application, their pull request not open, older than the grace period. Never touches a namespace without\n' +
    "dynenv's labels. Logs each namespace it removes and a summary (JSON lines). Runs as a CronJob.",
  flags: sweepFlags,
  environment: [
    { name: 'KUBECONFIG', description: 'as kubectl reads it', default: "the pod's ServiceAccount" },
    { name: 'DYNENV_REPOS', description: 'required: the comma-separated owner/name repositories' },
    { name: 'GITHUB_TOKEN', description: 'required (or a GitHub App, as for dynenv serve): which pull requests are open, read only' },
    { name: 'GITHUB_API_URL', description: 'GitHub Enterprise or a test server', default: PLUGIN_SERVER_DEFAULTS.githubApiUrl },
    { name: 'DYNENV_ARGOCD_NAMESPACE', description: "Argo CD's namespace", default: CONTROLLER_DEFAULTS.argocdNamespace },
    {
      name: 'DYNENV_SWEEP_GRACE_MINUTES',
      description: 'how old an orphaned preview namespace must be to go',
      default: String(CONTROLLER_DEFAULTS.sweepGraceMinutes),
    },
  ],
});
