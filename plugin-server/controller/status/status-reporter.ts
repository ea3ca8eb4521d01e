/**
 * Status on the pull request, from the Applications Argo CD runs: for each preview (and for dev, staging and prod)
 * a GitHub Deployment per commit with its latest status, and for each preview one comment kept up to date.
 *
 * Work is per subject (one preview, or one environment): a change of any of its Applications schedules it after
 * `debounceMs`, so a burst of status updates during a sync costs one reconcile; a reconcile that fails is retried
 * after 1, 2, 4, 4… s; while one runs, further changes make exactly one more. Each reconcile compares what GitHub
 * holds (read back at the first one, then kept) with what should be there, and writes only the difference.
 */
import type { Octokit } from '@octokit/rest';
import type { PullRequestSource } from '../../github/pull-request-source.ts';
import type { Informer } from '../../kubernetes/informer.ts';
import type { RepositoryAllowlist } from '../../repositories.ts';
import type { ApplicationSetObject } from '../plugin-application-sets.ts';
import { observeApplication, type ApplicationObject, type Observation } from './application-state.ts';
import { DeploymentLedger } from './deployment-ledger.ts';
import { PreviewComments, renderPreviewComment, type PreviewView } from './preview-comment.ts';
import { previewExpiry, type PreviewExpiry } from './preview-expiry.ts';
import { LABEL, repositoryOf, subjectOfApplication, subjectOfEnvironment, type Subject } from './status-subject.ts';
import { systemTimers, type Timers } from './timers.ts';

export interface StatusLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface StatusReporterOptions {
  readonly octokit: Octokit;
  readonly applications: Informer<ApplicationObject>;
  readonly applicationSets: Informer<ApplicationSetObject>;
  /** The open pull requests (head commit, labels, last activity). */
  readonly pullRequests: PullRequestSource;
  readonly allowlist: RepositoryAllowlist;
  /** Argo CD's web UI, for `log_url` and the comment's link. @default none */
  readonly argocdUrl?: string;
  /** @default the system clock and timers */
  readonly timers?: Timers;
  /** How long a change waits for more before it is reported. @default 1000 */
  readonly debounceMs?: number;
  /** Longest wait before retrying a failed reconcile. @default 4000 */
  readonly maxRetryMs?: number;
  readonly logger?: StatusLogger;
  /** Counts GitHub writes. @default none */
  readonly onWrites?: (writes: number) => void;
}

interface SubjectState {
  readonly subject: Subject;
  cancel?: () => void;
  running?: Promise<void>;
  again: boolean;
  failures: number;
}

const DESCRIPTIONS = { in_progress: 'deploying', success: 'deployed, synced and healthy', failure: 'failed' } as const;
export class StatusReporter {
  private readonly states = new Map<string, SubjectState>();
  private readonly ledgers = new Map<string, DeploymentLedger>();
  private readonly comments = new Map<string, PreviewComments>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly cancels = new Set<() => void>();
  /** The expiry last reported per preview, for the metric. */
  readonly expiries = new Map<string, PreviewExpiry>();
  private readonly timers: Timers;

  constructor(private readonly options: StatusReporterOptions) {
    this.timers = options.timers ?? systemTimers;
    options.applications.onChange((_change, application) => {
      const subject = subjectOfApplication(application, this.options.allowlist);
      if (subject) this.schedule(subject);
    });
  }

  /** Reads GitHub back for every repository and schedules every subject: what Applications show, and what GitHub
   * shows still live (a preview whose Application went while this process was down gets its final status). */
  async start(): Promise<void> {
    await Promise.all([this.options.applications.whenSynced(), this.options.applicationSets.whenSynced()]);
    for (const application of this.options.applications.list()) {
      const subject = subjectOfApplication(application, this.options.allowlist);
      if (subject) this.schedule(subject);
    }
    await Promise.all(this.options.allowlist.repositories.map((repository) => this.readBack(repository, 0)));
  }

  /** Schedules the subjects GitHub still shows live for `repository`; retried until GitHub answers. */
  private async readBack(repository: string, failures: number): Promise<void> {
    const apps = this.appsOf(repository);
    if (apps.size === 0) return;
    try {
      const ledger = this.ledger(repository);
      await ledger.load();
      for (const environment of ledger.liveEnvironments()) {
        const subject = subjectOfEnvironment(repository, environment, apps);
        if (subject) this.schedule(subject);
      }
    } catch (error) {
      const retryMs = Math.min(this.options.maxRetryMs ?? 4000, 1000 * 2 ** failures);
      this.options.logger?.warn({ repository, error: (error as Error).message, retryMs }, 'cannot read the deployments back from GitHub yet');
      this.cancels.add(
        this.timers.setTimeout(() => {
          const next = this.readBack(repository, failures + 1);
          this.inFlight.add(next);
          void next.finally(() => this.inFlight.delete(next));
        }, retryMs),
      );
    }
  }

  /** The pull requests of `repository` may have changed (a webhook): report its previews again. */
  repositoryChanged(repository: string): void {
    this.options.pullRequests.invalidate(repository);
    for (const state of this.states.values()) {
      if (state.subject.repository === repository && state.subject.pullRequest !== undefined) this.schedule(state.subject);
    }
  }

  /** Resolves once no reconcile is running (timers may still be pending). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Cancels pending work. */
  stop(): void {
    for (const state of this.states.values()) state.cancel?.();
    for (const cancel of this.cancels) cancel();
  }

  private schedule(subject: Subject, delayMs = this.options.debounceMs ?? 1000): void {
    let state = this.states.get(subject.key);
    if (!state) {
      state = { subject, again: false, failures: 0 };
      this.states.set(subject.key, state);
    }
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.cancel) return;
    const s = state;
    s.cancel = this.timers.setTimeout(() => this.run(s), delayMs);
  }

  private run(state: SubjectState): void {
    state.cancel = undefined;
    const running = this.reconcile(state.subject).then(
      (writes) => {
        state.failures = 0;
        if (writes > 0) this.options.onWrites?.(writes);
      },
      (error: unknown) => {
        state.failures += 1;
        state.again = true;
        this.options.logger?.warn({ subject: state.subject.key, error: (error as Error).message }, 'cannot report the status to GitHub; retrying');
      },
    );
    state.running = running.finally(() => {
      state.running = undefined;
      this.inFlight.delete(tracked);
      if (state.again) {
        state.again = false;
        const retryMs = state.failures === 0 ? undefined : Math.min(this.options.maxRetryMs ?? 4000, 1000 * 2 ** (state.failures - 1));
        this.schedule(state.subject, retryMs);
      }
    });
    const tracked = state.running;
    this.inFlight.add(tracked);
  }

  private async reconcile(subject: Subject): Promise<number> {
    const applications = this.options.applications
      .list()
      .filter((a) => subjectOfApplication(a, this.options.allowlist)?.key === subject.key && !a.metadata.deletionTimestamp);
    const githubEnvironment = `${subject.app}-${subject.environment}`;
    const ledger = this.ledger(subject.repository);
    if (subject.pullRequest === undefined) {
      const application = applications[0];
      const observed = application && observeApplication(application);
      if (!observed) return 0;
      return ledger.reconcile(githubEnvironment, {
        ...this.deploymentOf(application, observed, observed.state, observed.reason),
        transient: false,
        production: subject.environment === 'prod',
      });
    }
    const number = subject.pullRequest;
    const comments = this.commentsOf(subject);
    const workloads = applications.find((a) => a.metadata.labels?.[LABEL.part] !== 'fence');
    const fence = applications.find((a) => a.metadata.labels?.[LABEL.part] === 'fence');
    const observed = workloads && observeApplication(workloads);
    if (!workloads || !observed) {
      this.expiries.delete(subject.key);
      if (workloads) return 0;
      const removed: PreviewView = { ...emptyView(subject.app, number), state: 'removed' };
      return (await ledger.reconcile(githubEnvironment, undefined)) + (await comments.reconcile(number, renderPreviewComment(removed), false));
    }
    const fenced = fence && observeApplication(fence);
    let { state, reason } = observed;
    if (fenced?.state === 'failure') [state, reason] = ['failure', `fence: ${fenced.reason ?? 'failed'}`];
    else if (state === 'success' && fenced?.state !== 'success' && fence) state = 'in_progress';

    const listing = await this.options.pullRequests.listOpenPullRequests(subject.repository);
    const pull = listing.pullRequests.find((p) => p.number === number);
    const expiry = previewExpiry(pull, this.generatorOf(workloads, subject.repository));
    this.expiries.set(subject.key, expiry);
    const deployment = this.deploymentOf(workloads, observed, state, reason);
    const writes = await ledger.reconcile(githubEnvironment, { ...deployment, transient: true, production: false });
    const view: PreviewView = {
      app: subject.app,
      number,
      url: previewUrl(workloads),
      state,
      reason,
      deployedSha: observed.deployedRevision,
      headSha: pull?.headSha,
      health: observed.health,
      sync: observed.sync,
      logUrl: deployment.logUrl,
      expiresAt: expiry.expiresAt,
      keepLabel: expiry.keepLabel,
    };
    return writes + (await comments.reconcile(number, renderPreviewComment(view), true));
  }

  private deploymentOf(application: ApplicationObject, observed: Observation, state: Observation['state'], reason: string | undefined) {
    const base = this.options.argocdUrl?.replace(/\/+$/, '');
    const { name, namespace } = application.metadata;
    return {
      sha: observed.revision,
      state,
      description: state === 'failure' ? (reason ?? DESCRIPTIONS.failure) : DESCRIPTIONS[state],
      environmentUrl: previewUrl(application),
      logUrl: base ? `${base}/applications/${namespace ?? 'argocd'}/${name}` : undefined,
      payload: { application: name, images: [...observed.images] },
    };
  }

  /** The plugin generator's parameters of the ApplicationSet that made `application`. */
  private generatorOf(application: ApplicationObject, repository: string): Record<string, unknown> | undefined {
    const owner = application.metadata.ownerReferences?.find((o) => o.kind === 'ApplicationSet')?.name;
    const set = owner === undefined ? undefined : this.options.applicationSets.get(owner, application.metadata.namespace);
    for (const generator of (set?.spec?.generators ?? []) as Array<{ plugin?: { input?: { parameters?: Record<string, unknown> } } }>) {
      const parameters = generator.plugin?.input?.parameters;
      if (parameters && (parameters.repo === undefined || String(parameters.repo).toLowerCase() === repository.toLowerCase())) return parameters;
    }
    return undefined;
  }

  /** The apps whose Applications or ApplicationSets name `repository`. */
  private appsOf(repository: string): Set<string> {
    const apps = new Set<string>();
    for (const object of [...this.options.applications.list(), ...this.options.applicationSets.list()]) {
      const app = object.metadata.labels?.[LABEL.app];
      const repoURL = (object as ApplicationObject).spec?.source?.repoURL ?? templateRepoURL(object as ApplicationSetObject);
      if (app && repositoryOf(repoURL, this.options.allowlist) === repository) apps.add(app);
    }
    return apps;
  }

  private ledger(repository: string): DeploymentLedger {
    let ledger = this.ledgers.get(repository);
    if (!ledger) {
      const [owner, repo] = repository.split('/') as [string, string];
      ledger = new DeploymentLedger(this.options.octokit, owner, repo, (environment) =>
        [...this.appsOf(repository)].some((app) => environment.startsWith(`${app}-`)),
      );
      this.ledgers.set(repository, ledger);
    }
    return ledger;
  }

  private commentsOf(subject: Subject): PreviewComments {
    const key = `${subject.repository}|${subject.app}`;
    let comments = this.comments.get(key);
    if (!comments) {
      const [owner, repo] = subject.repository.split('/') as [string, string];
      comments = new PreviewComments(this.options.octokit, owner, repo, subject.app);
      this.comments.set(key, comments);
    }
    return comments;
  }
}

function templateRepoURL(set: ApplicationSetObject): string | undefined {
  return (set.spec as { template?: { spec?: { source?: { repoURL?: string } } } } | undefined)?.template?.spec?.source?.repoURL;
}

function previewUrl(application: ApplicationObject): string | undefined {
  return application.metadata.annotations?.['link.argocd.argoproj.io/preview'];
}

function emptyView(app: string, number: number): PreviewView {
  return {
    app,
    number,
    url: undefined,
    state: 'removed',
    reason: undefined,
    deployedSha: undefined,
    headSha: undefined,
    health: '',
    sync: '',
    logUrl: undefined,
    expiresAt: undefined,
    keepLabel: undefined,
  };
}
