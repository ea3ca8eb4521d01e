/**
 * The GitHub Deployments of one repository, read back from GitHub (not trusted to memory: after a restart the
 * first reconcile reads what is there) and brought to a desired state with as few writes as possible:
 *
 * - one Deployment per environment and commit, created once (`auto_merge: false`, `required_contexts: []`, so
 *   GitHub neither merges nor waits for checks; `transient_environment` for previews);
 * - a status is added only when the state, description or URLs differ from the last one (nothing changed, nothing
 *   written), with `auto_inactive: false`: which deployments are superseded is decided here, for transient
 *   environments too (GitHub's own rule skips them);
 * - every other Deployment of the environment ends `inactive`.
 */
import type { Octokit } from '@octokit/rest';

export type DeploymentStatusState = 'in_progress' | 'success' | 'failure' | 'inactive';

export interface StatusRecord {
  readonly state: string;
  readonly description: string;
  readonly environmentUrl: string;
  readonly logUrl: string;
}

export interface DeploymentRecord {
  readonly id: number;
  readonly sha: string;
  readonly environment: string;
  last: StatusRecord | undefined;
}

export interface DesiredDeployment {
  readonly sha: string;
  readonly state: Exclude<DeploymentStatusState, 'inactive'>;
  /** At most 140 characters are kept (GitHub's limit). */
  readonly description: string;
  readonly environmentUrl?: string;
  readonly logUrl?: string;
  readonly transient: boolean;
  readonly production: boolean;
  readonly payload: Record<string, unknown>;
}

/** How many deployments of the repository are read back at the first reconcile. */
const READ_BACK = 100;

export class DeploymentLedger {
  /** Per environment, newest first; undefined until read back. */
  private byEnvironment: Map<string, DeploymentRecord[]> | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly octokit: Octokit,
    private readonly owner: string,
    private readonly repo: string,
    /** Only environments this returns true for are read and touched (`<app>-…`). */
    private readonly ours: (environment: string) => boolean,
  ) {}

  /** Reads the newest deployments and their last statuses, once (again after a failure). */
  load(): Promise<void> {
    if (this.byEnvironment) return Promise.resolve();
    this.loading ??= (async () => {
      const { data } = await this.octokit.rest.repos.listDeployments({ owner: this.owner, repo: this.repo, per_page: READ_BACK });
      const records = await Promise.all(
        data
          .filter((d) => this.ours(d.environment))
          .map(async (d): Promise<DeploymentRecord> => ({ id: d.id, sha: d.sha, environment: d.environment, last: await this.lastStatus(d.id) })),
      );
      const byEnvironment = new Map<string, DeploymentRecord[]>();
      for (const record of records) byEnvironment.set(record.environment, [...(byEnvironment.get(record.environment) ?? []), record]);
      this.byEnvironment = byEnvironment;
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Environments with a deployment whose last status is not `inactive`. */
  liveEnvironments(): string[] {
    return [...(this.byEnvironment ?? new Map<string, DeploymentRecord[]>())]
      .filter(([, records]) => records.some((r) => r.last?.state !== 'inactive'))
      .map(([environment]) => environment);
  }

  /** Deployments of `environment`, newest first (after load). */
  records(environment: string): readonly DeploymentRecord[] {
    return this.byEnvironment?.get(environment) ?? [];
  }

  /**
   * Brings `environment` to `desired` (or, undefined, to every deployment inactive); resolves to the number of
   * writes it took. A failure leaves what was written recorded, so the retry writes only the rest.
   */
  async reconcile(environment: string, desired: DesiredDeployment | undefined): Promise<number> {
    await this.load();
    const records = this.byEnvironment!.get(environment) ?? [];
    this.byEnvironment!.set(environment, records);
    let writes = 0;
    let current: DeploymentRecord | undefined;
    if (desired) {
      current = records.find((r) => r.sha === desired.sha);
      if (!current) {
        const { data } = await this.octokit.rest.repos.createDeployment({
          owner: this.owner,
          repo: this.repo,
          ref: desired.sha,
          environment,
          auto_merge: false,
          required_contexts: [],
          transient_environment: desired.transient,
          production_environment: desired.production,
          payload: desired.payload as { [key: string]: unknown },
          description: `dynenv: ${environment} at ${desired.sha.slice(0, 7)}`,
        });
        const id = (data as { id: number }).id;
        current = { id, sha: desired.sha, environment, last: undefined };
        records.unshift(current);
        writes += 1;
      }
      const wanted: StatusRecord = {
        state: desired.state,
        description: desired.description.slice(0, 140),
        environmentUrl: desired.state === 'success' ? (desired.environmentUrl ?? '') : '',
        logUrl: desired.logUrl ?? '',
      };
      if (!sameStatus(current.last, wanted)) {
        await this.addStatus(current, wanted);
        writes += 1;
      }
    }
    for (const record of records) {
      if (record === current || record.last?.state === 'inactive') continue;
      await this.addStatus(record, {
        state: 'inactive',
        description: desired ? 'superseded by a newer commit' : 'preview removed',
        environmentUrl: '',
        logUrl: '',
      });
      writes += 1;
    }
    return writes;
  }

  private async addStatus(record: DeploymentRecord, status: StatusRecord): Promise<void> {
    await this.octokit.rest.repos.createDeploymentStatus({
      owner: this.owner,
      repo: this.repo,
      deployment_id: record.id,
      state: status.state as DeploymentStatusState,
      description: status.description,
      ...(status.environmentUrl !== '' && { environment_url: status.environmentUrl }),
      ...(status.logUrl !== '' && { log_url: status.logUrl }),
      auto_inactive: false,
    });
    record.last = status;
  }

  private async lastStatus(id: number): Promise<StatusRecord | undefined> {
    const { data } = await this.octokit.rest.repos.listDeploymentStatuses({ owner: this.owner, repo: this.repo, deployment_id: id, per_page: 1 });
    const last = data[0];
    return last && { state: last.state, description: last.description ?? '', environmentUrl: last.environment_url ?? '', logUrl: last.log_url ?? '' };
  }
}

function sameStatus(a: StatusRecord | undefined, b: StatusRecord): boolean {
  return a !== undefined && a.state === b.state && a.description === b.description && a.environmentUrl === b.environmentUrl && a.logUrl === b.logUrl;
}
