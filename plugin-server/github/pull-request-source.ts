/**
 * Where getparams gets a repository's open pull requests: revalidated with GitHub on every poll (a 304 is free,
 * and a cache that waits for a timer would hand Argo CD a stale list right after the webhook refresh), but
 *
 * - coalesced: concurrent polls of one repository (matrix fan-out, several ApplicationSets) share one listing,
 *   and a repository is checked at most about once per `revalidateIntervalMs`; while polls keep coming, the next
 *   check starts in the background shortly before the interval ends, so they do not queue behind it;
 * - invalidated by the GitHub webhook, so the poll that follows an event never reuses an older check;
 * - backed by the last good listing while GitHub fails, for at most `lastKnownGoodMaxAgeMs`; then a 503.
 *
 * Never an empty or partial list because of a failure: a failure is an answer from the last good listing, or an
 * error.
 */
import type { Octokit } from '@octokit/rest';
import { PluginError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { ConditionalPullRequestLister } from './conditional-listing.ts';
import type { PullRequest } from './pull-request.ts';
import { classifyUpstreamError, UpstreamError } from './upstream-error.ts';

/** How the answer was obtained. */
export type ListingSource =
  /** GitHub sent changed pages: a new listing. */
  | 'fresh'
  /** GitHub confirmed the previous listing with 304s. */
  | 'revalidated'
  /** Shared with a concurrent poll, or checked less than `revalidateIntervalMs` ago. */
  | 'coalesced'
  /** GitHub failed: the last good listing, younger than the bound. */
  | 'stale';

export interface PullRequestListing {
  readonly repository: string;
  readonly pullRequests: readonly PullRequest[];
  /** When GitHub last confirmed this listing (clock milliseconds). */
  readonly verifiedAt: number;
  readonly source: ListingSource;
  /** Why GitHub could not be used, when `source` is `stale`. */
  readonly failure?: UpstreamError;
}

/** The plugin's view of GitHub: what getparams reads and the webhook invalidates. */
export interface PullRequestSource {
  /** The open pull requests of `repository` (`owner/name`); throws a PluginError when it cannot answer truly. */
  listOpenPullRequests(repository: string): Promise<PullRequestListing>;
  /** Forgets how recent the last check of `repository` was: the next poll asks GitHub. */
  invalidate(repository: string): void;
}

export interface GitHubPullRequestSourceOptions {
  readonly octokit: Octokit;
  readonly clock: Clock;
  /** How long the last good listing may answer for a failing GitHub. @default 600_000 (10 minutes) */
  readonly lastKnownGoodMaxAgeMs?: number;
  /** How long a check with GitHub answers polls without another one. @default 1000 */
  readonly revalidateIntervalMs?: number;
  /**
   * A poll that finds the last check older than this (but younger than `revalidateIntervalMs`) is answered from it
   * and starts the next check in the background. @default 80% of revalidateIntervalMs
   */
  readonly revalidateAheadMs?: number;
  /** Deadline of one listing, retries included. @default 20_000 */
  readonly timeoutMs?: number;
}

interface RepositoryState {
  readonly lister: ConditionalPullRequestLister;
  /** Bumped by the webhook: checks and flights of an older generation are not reused. */
  generation: number;
  lastGood?: { readonly pullRequests: readonly PullRequest[]; readonly verifiedAt: number };
  lastCheck?: { readonly at: number; readonly generation: number; readonly failure?: UpstreamError };
  flight?: { readonly generation: number; readonly promise: Promise<PullRequestListing> };
  /**
   * The lister's latest run, which can outlast its flight: the flight answers at the deadline, while Octokit's
   * retry back-off (which no signal interrupts) may still be waiting. The next run waits for it until it ends or
   * its deadline passes: past its deadline a run changes nothing any more (ConditionalPullRequestLister.list).
   */
  run?: { readonly settled: Promise<unknown>; readonly deadline: AbortSignal };
}

export class GitHubPullRequestSource implements PullRequestSource {
  private readonly repositories = new Map<string, RepositoryState>();
  private readonly lastKnownGoodMaxAgeMs: number;
  private readonly revalidateIntervalMs: number;
  private readonly revalidateAheadMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: GitHubPullRequestSourceOptions) {
    this.lastKnownGoodMaxAgeMs = options.lastKnownGoodMaxAgeMs ?? 600_000;
    this.revalidateIntervalMs = options.revalidateIntervalMs ?? 1000;
    this.revalidateAheadMs = options.revalidateAheadMs ?? this.revalidateIntervalMs * 0.8;
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  invalidate(repository: string): void {
    const state = this.repositories.get(repository);
    if (state) state.generation += 1;
  }

  async listOpenPullRequests(repository: string): Promise<PullRequestListing> {
    const state = this.state(repository);
    const generation = state.generation;
    const now = this.options.clock.now();
    const recent = state.lastCheck;
    if (recent && recent.generation === generation && now - recent.at < this.revalidateIntervalMs) {
      if (recent.failure) return this.fallBack(repository, state, recent.failure);
      if (state.lastGood) {
        if (now - recent.at >= this.revalidateAheadMs && !state.flight) {
          // Its outcome lands in lastCheck; this poll does not wait for it, and nobody awaits its rejection.
          this.startFlight(repository, state, generation).catch(() => undefined);
        }
        return { repository, ...state.lastGood, source: 'coalesced' };
      }
    }
    if (state.flight && state.flight.generation === generation) {
      const shared = await state.flight.promise;
      return shared.source === 'stale' ? shared : { ...shared, source: 'coalesced' };
    }
    return this.startFlight(repository, state, generation);
  }

  private startFlight(repository: string, state: RepositoryState, generation: number): Promise<PullRequestListing> {
    // A run of an older generation may still be going: queue behind it, so one lister never runs twice at once.
    const previous = state.run;
    // The deadline counts from now, waiting included: it is what bounds the answer Argo CD waits for.
    const deadline = this.options.clock.timeout(this.timeoutMs);
    const run = (async () => {
      if (previous) await Promise.race([previous.settled, aborted(previous.deadline)]);
      return state.lister.list(deadline);
    })();
    state.run = { settled: run.catch(() => undefined), deadline };
    const promise = (async (): Promise<PullRequestListing> => {
      try {
        const listing = await withinDeadline(run, deadline, repository);
        const verifiedAt = this.options.clock.now();
        state.lastGood = { pullRequests: listing.pullRequests, verifiedAt };
        state.lastCheck = { at: verifiedAt, generation };
        return { repository, ...state.lastGood, source: listing.changed ? 'fresh' : 'revalidated' };
      } catch (error) {
        const failure = classifyUpstreamError(error, repository);
        state.lastCheck = { at: this.options.clock.now(), generation, failure };
        return this.fallBack(repository, state, failure);
      }
    })();
    const flight = { generation, promise };
    state.flight = flight;
    promise
      .finally(() => {
        if (state.flight === flight) state.flight = undefined;
      })
      .catch(() => undefined);
    return promise;
  }

  private fallBack(repository: string, state: RepositoryState, failure: UpstreamError): PullRequestListing {
    const lastGood = state.lastGood;
    if (!lastGood) throw failure.toPluginError();
    const ageMs = this.options.clock.now() - lastGood.verifiedAt;
    if (ageMs <= this.lastKnownGoodMaxAgeMs) return { repository, ...lastGood, source: 'stale', failure };
    throw new PluginError(
      'LAST_KNOWN_GOOD_EXPIRED',
      `GitHub is failing (${failure.message}) and the last good listing of ${repository} is ` +
        `${Math.round(ageMs / 1000)} s old, older than the ${Math.round(this.lastKnownGoodMaxAgeMs / 1000)} s ` +
        'bound (DYNENV_LAST_GOOD_MAX_AGE_SECONDS); the previews stay as they are until GitHub answers',
    );
  }

  private state(repository: string): RepositoryState {
    let state = this.repositories.get(repository);
    if (!state) {
      state = { lister: new ConditionalPullRequestLister(this.options.octokit, repository), generation: 0 };
      this.repositories.set(repository, state);
    }
    return state;
  }
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * `run`, or a timeout failure as soon as `deadline` aborts. Octokit's retry plugin waits between attempts without
 * watching the request's signal (1 s, then 4 s by default), so without this a listing could answer seconds after
 * DYNENV_GITHUB_TIMEOUT_SECONDS, and past Argo CD's own 30 s timeout, instead of from the last good listing.
 */
function withinDeadline<T>(run: Promise<T>, deadline: AbortSignal, repository: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(new UpstreamError('timeout', `GitHub did not finish listing ${repository}'s pull requests in time`));
    if (deadline.aborted) return expire();
    deadline.addEventListener('abort', expire, { once: true });
    run.then(
      (value) => {
        deadline.removeEventListener('abort', expire);
        resolve(value);
      },
      (error: unknown) => {
        deadline.removeEventListener('abort', expire);
        reject(error);
      },
    );
  });
}
