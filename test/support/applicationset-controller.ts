/**
 * Argo CD's ApplicationSet controller, reduced to what decides whether previews live or die (docs/plugin-protocol.md): it
 * asks the plugin, and on a 2xx sets its Applications to exactly the answer, deleting the others; on anything
 * else it keeps them. Each poll is judged against the PreviewWorld's truth:
 *
 * - a wrong prune: an Application deleted while its pull request was open and selected from before the poll
 *   started until it ended (never allowed, whatever GitHub did);
 * - a wrong creation: an Application created for a pull request that was not selected throughout the poll, after
 *   that change was settled (never allowed);
 * - a leaked preview: after a poll that began once the change was settled and while GitHub was healthy, an
 *   Application still alive for a pull request that closed or stopped being selected;
 * - a missed preview: after such a poll, no Application for a pull request selected throughout it.
 *
 * Reused by the fault-matrix tests and the soak benchmark; an ApplicationSet is reconciled by one worker at a
 * time, so polls of one controller never overlap.
 */
import { interpretAsArgoCd } from '../plugin-server/argo-client.ts';
import type { FakePullRequest } from '../fake-github/index.ts';
import type { PreviewWorld } from './preview-world.ts';

/** The plugin's answer to one getparams call. */
export interface PluginAnswer {
  readonly status: number;
  readonly body: string;
}

export interface ControllerTally {
  polls: number;
  /** 2xx answers applied. */
  applied: number;
  /** Non-2xx answers (or unreadable ones), by status and code (`timeout` / `network` for calls that got none). */
  errors: Record<string, number>;
  wrongPrunes: number;
  wrongCreations: number;
  leakedPreviews: number;
  missedPreviews: number;
  /** Applications created and deleted. */
  created: number;
  deleted: number;
  /** One line per violation, for the failure message. */
  violations: string[];
}

export interface ApplicationSetControllerOptions {
  /** The ApplicationSet's name, in messages. */
  readonly name: string;
  /** Asks the plugin (with this ApplicationSet's parameters); a rejection counts as an error answer. */
  readonly ask: () => Promise<PluginAnswer>;
  /** Which pull requests this ApplicationSet's parameters select (the oracle of the plugin's filters). */
  readonly selects: (pull: FakePullRequest) => boolean;
}

export class SimulatedApplicationSetController {
  /** The Applications alive: pull-request number → its parameter set. */
  readonly applications = new Map<number, Record<string, unknown>>();
  readonly tally: ControllerTally = {
    polls: 0,
    applied: 0,
    errors: {},
    wrongPrunes: 0,
    wrongCreations: 0,
    leakedPreviews: 0,
    missedPreviews: 0,
    created: 0,
    deleted: 0,
    violations: [],
  };

  constructor(
    private readonly world: PreviewWorld,
    private readonly options: ApplicationSetControllerOptions,
  ) {}

  /** One reconciliation: ask, apply as Argo CD would, judge. Resolves to the status (0 when no answer came). */
  async poll(): Promise<number> {
    this.tally.polls += 1;
    const startedAt = this.world.now();
    const selectedBefore = this.selected();
    let answer: PluginAnswer;
    try {
      answer = await this.options.ask();
    } catch (error) {
      const kind = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      this.tally.errors[kind] = (this.tally.errors[kind] ?? 0) + 1;
      return 0;
    }
    const endedAt = this.world.now();
    const selectedAfter = this.selected();
    const outcome = interpretAsArgoCd(answer.status, answer.body);
    if (outcome.kind === 'error') {
      const key = `${answer.status}${errorCode(answer.body)}`;
      this.tally.errors[key] = (this.tally.errors[key] ?? 0) + 1;
      return answer.status;
    }
    this.tally.applied += 1;
    const answered = new Map(outcome.sets.map((set) => [Number(set.number), set]));

    // Selected (or not) from before the poll until after it, by a change made before it started.
    const steadily = (number: number, selected: boolean) =>
      selectedBefore.has(number) === selected && selectedAfter.has(number) === selected && this.world.changedAt(number) < startedAt;
    const settled = (number: number) => this.world.settledAt(number, startedAt);
    const truthful = this.world.healthyBetween(startedAt, endedAt);

    for (const number of this.applications.keys()) {
      if (answered.has(number)) continue;
      this.tally.deleted += 1;
      if (steadily(number, true)) this.violation('wrongPrunes', `deleted pr-${number}, open and selected throughout the poll`);
    }
    for (const number of answered.keys()) {
      if (this.applications.has(number)) continue;
      this.tally.created += 1;
      if (steadily(number, false) && settled(number)) this.violation('wrongCreations', `created pr-${number}, not selected throughout the poll`);
    }
    this.applications.clear();
    for (const [number, set] of answered) this.applications.set(number, set);

    if (truthful) {
      for (const number of answered.keys()) {
        if (steadily(number, false) && settled(number)) this.violation('leakedPreviews', `pr-${number} still alive after a truthful poll`);
      }
      for (const number of selectedBefore) {
        if (!answered.has(number) && steadily(number, true) && settled(number)) this.violation('missedPreviews', `no pr-${number} after a truthful poll`);
      }
    }
    return answer.status;
  }

  private selected(): Set<number> {
    return new Set(
      this.world
        .openPullRequests()
        .filter((pull) => this.options.selects(pull))
        .map((pull) => pull.number),
    );
  }

  private violation(kind: 'wrongPrunes' | 'wrongCreations' | 'leakedPreviews' | 'missedPreviews', message: string): void {
    this.tally[kind] += 1;
    this.tally.violations.push(`${this.options.name}: ${kind}: ${message}`);
  }
}

/** ` CODE` from an error reply's JSON, or ''. */
function errorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? ` ${code}` : '';
  } catch {
    return '';
  }
}

/** The selection of an ApplicationSet with the plugin's default filters plus `labels` (all required). */
export function selectsOpenPullRequests(labels: readonly string[] = []): (pull: FakePullRequest) => boolean {
  const required = labels.map((label) => label.toLowerCase());
  return (pull) =>
    pull.state === 'open' &&
    !pull.draft &&
    pull.headRepository.forkOf === undefined &&
    required.every((label) => pull.labels.some((has) => has.toLowerCase() === label));
}

/**
 * The selection of an ApplicationSet whose plugin generator has `parameters` (labels, excludeLabels,
 * targetBranches, maxAgeHours with keepLabel), at the time `now()` says: what the plugin's filters must answer.
 */
export function selectsByParameters(parameters: Record<string, unknown>, now: () => number): (pull: FakePullRequest) => boolean {
  const lower = (values: unknown) => ((values as string[] | undefined) ?? []).map((value) => value.toLowerCase());
  const open = selectsOpenPullRequests(lower(parameters.labels));
  const excluded = lower(parameters.excludeLabels);
  const targets = (parameters.targetBranches as string[] | undefined) ?? [];
  const maxAgeMs = typeof parameters.maxAgeHours === 'number' ? parameters.maxAgeHours * 3_600_000 : undefined;
  const keep = typeof parameters.keepLabel === 'string' ? parameters.keepLabel.toLowerCase() : undefined;
  return (pull) => {
    const labels = lower(pull.labels);
    if (!open(pull) || labels.some((label) => excluded.includes(label))) return false;
    if (targets.length > 0 && !targets.includes(pull.baseRef)) return false;
    return maxAgeMs === undefined || pull.updatedAt.getTime() >= now() - maxAgeMs || (keep !== undefined && labels.includes(keep));
  };
}
