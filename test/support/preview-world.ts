/**
 * The truth the simulated ApplicationSet controller is judged against: one repository of the fake GitHub whose
 * pull requests change only through this class, which records when each change happened, when the plugin's
 * webhook acknowledged it, and when GitHub was failing. The fault-matrix tests and the soak benchmark share it.
 */
import type { Fault, FaultMatch, FaultRule, FakeGitHub, FakePullRequest, OpenPullRequestOptions } from '../fake-github/index.ts';

/** A pull_request webhook event, as the plugin's webhook route receives it. */
export interface PullRequestEvent {
  readonly action: string;
  readonly repository: string;
  readonly number: number;
}

export interface PreviewWorldOptions {
  /** The clock of the server under test (a ManualClock's `now`, or Date.now). */
  readonly now: () => number;
  /**
   * Delivers a webhook event to the plugin and resolves once it answered; the change counts as acknowledged then.
   * @default none: changes are never acknowledged, so only polls a full `settleMs` later are judged on them
   */
  readonly notify?: (event: PullRequestEvent) => Promise<void>;
  /**
   * How long after a change or a fault a poll may still be answered from an earlier check with GitHub (the
   * server's revalidation interval). @default 1000
   */
  readonly settleMs?: number;
}

/** What the world knows of one pull request. */
interface PullRequestHistory {
  /** When it last changed (clock ms). */
  changedAt: number;
  /** When the plugin acknowledged that change through its webhook; undefined while it has not. */
  acknowledgedAt: number | undefined;
}

export class PreviewWorld {
  private readonly history = new Map<number, PullRequestHistory>();
  /** Fault windows on the server's clock; `to` undefined while the fault lasts. */
  private readonly faultWindows: Array<{ from: number; to: number | undefined }> = [];
  private readonly rules: FaultRule[] = [];
  /** Changes made so far. */
  changes = 0;

  constructor(
    readonly fake: FakeGitHub,
    readonly repository: string,
    private readonly options: PreviewWorldOptions,
  ) {}

  get settleMs(): number {
    return this.options.settleMs ?? 1000;
  }

  now(): number {
    return this.options.now();
  }

  /** The open pull requests, as the fake holds them now. */
  openPullRequests(): FakePullRequest[] {
    return [...(this.fake.repository(this.repository)?.pulls.values() ?? [])].filter((pull) => pull.state === 'open');
  }

  /** Every pull request ever opened (open or closed). */
  allPullRequests(): FakePullRequest[] {
    return [...(this.fake.repository(this.repository)?.pulls.values() ?? [])];
  }

  open(options: OpenPullRequestOptions = {}): Promise<FakePullRequest> {
    return this.change('opened', () => this.fake.openPullRequest(this.repository, options));
  }

  close(number: number): Promise<FakePullRequest> {
    return this.change('closed', () => this.fake.closePullRequest(this.repository, number));
  }

  merge(number: number): Promise<FakePullRequest> {
    return this.change('closed', () => this.fake.mergePullRequest(this.repository, number));
  }

  reopen(number: number): Promise<FakePullRequest> {
    return this.change('reopened', () => this.fake.reopenPullRequest(this.repository, number));
  }

  label(number: number, label: string): Promise<FakePullRequest> {
    return this.change('labeled', () => this.fake.addLabels(this.repository, number, label));
  }

  unlabel(number: number, label: string): Promise<FakePullRequest> {
    return this.change('unlabeled', () => this.fake.removeLabel(this.repository, number, label));
  }

  setDraft(number: number, draft: boolean): Promise<FakePullRequest> {
    return this.change(draft ? 'converted_to_draft' : 'ready_for_review', () => this.fake.updatePullRequest(this.repository, number, { draft }));
  }

  push(number: number): Promise<FakePullRequest> {
    return this.change('synchronize', () => this.fake.pushCommit(this.repository, number));
  }

  /** GitHub starts failing with `fault` (for the listing of this repository unless `match` says otherwise). */
  startFault(fault: Fault, match: FaultMatch = {}): void {
    this.rules.push(this.fake.faults.inject(fault, { match: { path: `/repos/${this.repository}/pulls`, ...match } }));
    if (this.faultWindows.at(-1)?.to !== undefined || this.faultWindows.length === 0) {
      this.faultWindows.push({ from: this.now(), to: undefined });
    }
  }

  /** GitHub is healthy again. */
  clearFaults(): void {
    for (const rule of this.rules.splice(0)) rule.remove();
    const open = this.faultWindows.at(-1);
    if (open && open.to === undefined) open.to = this.now();
  }

  get failing(): boolean {
    return this.rules.length > 0;
  }

  /** True when GitHub was healthy from `settleMs` before `from` until `to`: a poll then must tell the truth. */
  healthyBetween(from: number, to: number): boolean {
    return this.faultWindows.every((window) => (window.to ?? Number.POSITIVE_INFINITY) < from - this.settleMs || window.from > to);
  }

  /**
   * True when the pull request's last change is old enough, at `at`, that a poll starting then must reflect it:
   * acknowledged by the webhook before `at`, or made `settleMs` before it.
   */
  settledAt(number: number, at: number): boolean {
    const history = this.history.get(number);
    if (!history) return true;
    if (history.acknowledgedAt !== undefined && history.acknowledgedAt <= at) return true;
    return history.changedAt < at - this.settleMs;
  }

  /** When the pull request last changed (or -Infinity). */
  changedAt(number: number): number {
    return this.history.get(number)?.changedAt ?? Number.NEGATIVE_INFINITY;
  }

  private async change(action: string, apply: () => FakePullRequest): Promise<FakePullRequest> {
    const pull = apply();
    this.changes += 1;
    const history: PullRequestHistory = { changedAt: this.now(), acknowledgedAt: undefined };
    this.history.set(pull.number, history);
    if (this.options.notify) {
      await this.options.notify({ action, repository: this.repository, number: pull.number });
      // A later change of the same pull request has its own acknowledgement.
      if (this.history.get(pull.number) === history) history.acknowledgedAt = this.now();
    }
    return pull;
  }
}
