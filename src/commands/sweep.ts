import type { Command } from '../cli.ts';
import { parseCommandLine } from '../cli.ts';

const HELP = `usage: dynenv sweep [--dry-run]

Deletes preview namespaces nothing owns any more: labelled as dynenv previews, not deployed to by any Argo CD
Application, their pull request not open, older than the grace period. Never touches a namespace without
dynenv's labels. Logs each namespace it removes and a summary (JSON lines). Runs as a CronJob.
  --dry-run                                list what would be deleted, delete nothing
Configured from the environment:
  KUBECONFIG                               as kubectl reads it; else the pod's ServiceAccount
  DYNENV_REPOS                             required: comma-separated owner/name
  GITHUB_TOKEN or a GitHub App             required: which pull requests are open (read only)
  DYNENV_ARGOCD_NAMESPACE (argocd), DYNENV_SWEEP_GRACE_MINUTES (60), GITHUB_API_URL
`;

/** `dynenv sweep`: one sweep of orphaned preview namespaces. */
export const sweepCommand: Command = {
  summary: 'delete preview namespaces no Application owns and whose pull request is closed',
  async run(argv) {
    const { values } = parseCommandLine(argv, { help: { type: 'boolean', short: 'h' }, 'dry-run': { type: 'boolean' } });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const { runSweep } = await import('../../plugin-server/controller/sweep-main.ts');
    await runSweep(process.env, { dryRun: values['dry-run'] === true });
    return 0;
  },
};
