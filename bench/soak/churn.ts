/**
 * What happens to the repository during the soak: pull requests open, close, merge, reopen, get labelled and
 * unlabelled, turn to drafts and back, and get pushed to, each announced by its webhook; and GitHub fails now and
 * then, with each fault of the fault tests in turn, for a few seconds at a time.
 */
import type { Fault, FaultMatch } from '../../test/fake-github/index.ts';
import { FAULTS } from '../../test/plugin-server/fault-cases.ts';
import type { PreviewWorld } from '../../test/support/preview-world.ts';

/** A seeded random source, so that a soak can be replayed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One random pull-request event; keeps the number of open pull requests near `target`. */
export async function randomEvent(world: PreviewWorld, random: () => number, target: number): Promise<string> {
  const open = world.openPullRequests();
  const any = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const roll = random();
  if (open.length < target * 0.9 || (roll < 0.15 && open.length < target * 1.1)) {
    await world.open({ labels: random() < 0.5 ? ['preview'] : [], draft: random() < 0.1 });
    return 'opened';
  }
  const pull = any(open);
  if (!pull) return 'none';
  if (roll < 0.25) {
    await world.close(pull.number);
    return 'closed';
  }
  if (roll < 0.3) {
    await world.merge(pull.number);
    return 'merged';
  }
  if (roll < 0.35) {
    const closed = world.allPullRequests().filter((candidate) => candidate.state === 'closed' && candidate.mergedAt === undefined);
    const reopened = any(closed);
    if (reopened) {
      await world.reopen(reopened.number);
      return 'reopened';
    }
  }
  if (roll < 0.55) {
    if (pull.labels.includes('preview')) await world.unlabel(pull.number, 'preview');
    else await world.label(pull.number, 'preview');
    return 'labelled';
  }
  if (roll < 0.7) {
    await world.setDraft(pull.number, !pull.draft);
    return 'draft';
  }
  await world.push(pull.number);
  return 'pushed';
}

export interface ScheduledFault {
  readonly name: string;
  readonly fault: Fault;
  readonly match?: FaultMatch;
}

/** The faults of the fault tests, in turn. */
export function faultCycle(): () => ScheduledFault {
  let next = 0;
  return () => {
    const { name, fault, match } = FAULTS[next % FAULTS.length]!;
    next += 1;
    return { name, fault, ...(match ? { match } : {}) };
  };
}
