/**
 * Readiness means "can answer truthfully": the server has listed every repository of DYNENV_REPOS once, so a
 * poll gets either a fresh listing or, while GitHub fails, the last good one. Until then it asks GitHub (at most
 * one check at a time, from the readiness probe) and is not ready, saying what it waits for: a pod whose
 * credentials GitHub refuses, or that cannot reach GitHub, never receives Argo CD's polls. Once ready it never asks
 * again: a later GitHub outage is what the last good listing is for, and taking the pod out of service would
 * turn it into connection errors.
 */
import type { PullRequestSource } from './github/pull-request-source.ts';

export type ReadinessState = { readonly ready: true } | { readonly ready: false; readonly waitingFor: string };

export class Readiness {
  private readonly listed = new Set<string>();
  private pending: Promise<ReadinessState> | undefined;

  constructor(
    private readonly repositories: readonly string[],
    private readonly pullRequests: PullRequestSource,
  ) {}

  /** Records that GitHub listed `repository` (a poll's answer), so readiness need not ask for it. */
  listedOnce(repository: string): void {
    this.listed.add(repository);
  }

  /** Ready, or what the server still waits for; lists the repositories not yet listed. */
  async check(): Promise<ReadinessState> {
    if (this.repositories.every((repository) => this.listed.has(repository))) return { ready: true };
    this.pending ??= this.listMissing().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async listMissing(): Promise<ReadinessState> {
    for (const repository of this.repositories.filter((name) => !this.listed.has(name))) {
      try {
        await this.pullRequests.listOpenPullRequests(repository);
        this.listed.add(repository);
      } catch (error) {
        return { ready: false, waitingFor: `the first listing of ${repository} from GitHub: ${error instanceof Error ? error.message : String(error)}` };
      }
    }
    return { ready: true };
  }
}
