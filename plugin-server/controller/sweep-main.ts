/** `dynenv sweep` as a process: configuration from the environment, one sweep, a summary, an exit code. */
import { systemClock } from '../clock.ts';
import { ConfigurationError, loadGitHubAccess } from '../config.ts';
import { createGitHubClient } from '../github/client.ts';
import { GitHubPullRequestSource } from '../github/pull-request-source.ts';
import { KubernetesApiClient } from '../kubernetes/api-client.ts';
import { loadKubernetesConnection } from '../kubernetes/connection.ts';
import { RepositoryAllowlist, REPOSITORY_NAME } from '../repositories.ts';
import { sweepPreviewNamespaces, type SweepResult } from './sweep.ts';
import { CONTROLLER_DEFAULTS } from '../../contract/plugin-server-defaults.ts';

export interface SweepRunOptions {
  readonly dryRun: boolean;
  /** Where the JSON log lines go. @default standard output */
  readonly write?: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/** One sweep configured by `env`. @throws ConfigurationError on bad settings */
export async function runSweep(env: Readonly<Record<string, string | undefined>>, options: SweepRunOptions): Promise<SweepResult> {
  const problems: string[] = [];
  const repositories = (env.DYNENV_REPOS ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (repositories.length === 0) problems.push('DYNENV_REPOS: is required: the comma-separated owner/name repositories');
  for (const name of repositories) if (!REPOSITORY_NAME.test(name)) problems.push(`DYNENV_REPOS: "${name}" is not owner/name`);
  const graceMinutes =
    env.DYNENV_SWEEP_GRACE_MINUTES === undefined || env.DYNENV_SWEEP_GRACE_MINUTES === ''
      ? CONTROLLER_DEFAULTS.sweepGraceMinutes
      : Number(env.DYNENV_SWEEP_GRACE_MINUTES);
  if (!Number.isFinite(graceMinutes) || graceMinutes < 0) problems.push('DYNENV_SWEEP_GRACE_MINUTES: must be a number of minutes (0 or more)');
  const github = loadGitHubAccess(env);
  if (!github.credentials) problems.push('GITHUB_TOKEN (or a GitHub App) is required: the sweep deletes nothing without knowing which pull requests are open');
  if (problems.length > 0) throw new ConfigurationError(problems);
  const client = new KubernetesApiClient(loadKubernetesConnection(env));
  const octokit = createGitHubClient({ apiUrl: github.apiUrl, credentials: github.credentials! });
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  try {
    return await sweepPreviewNamespaces({
      client,
      pullRequests: new GitHubPullRequestSource({ octokit, clock: systemClock }),
      allowlist: new RepositoryAllowlist(repositories),
      argocdNamespace: env.DYNENV_ARGOCD_NAMESPACE || CONTROLLER_DEFAULTS.argocdNamespace,
      graceMs: graceMinutes * 60_000,
      dryRun: options.dryRun,
      ...(options.now && { now: options.now }),
      log: (line) => write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`),
    });
  } finally {
    client.close();
  }
}
