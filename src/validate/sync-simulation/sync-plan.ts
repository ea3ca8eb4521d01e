/**
 * The steps of a sync and what each waits for, as gitops-engine's `syncContext.Sync` runs them (argoproj/argo-cd
 * gitops-engine/pkg/sync/sync_context.go). A step is one phase and wave: every task of it is applied in one pass
 * (kind by kind, in kind order), and the next step starts only when every hook applied so far has completed and,
 * in a sync of more than one step, every resource applied so far is healthy. The one exception is the last step:
 * when it holds no hook, the sync succeeds as soon as it is applied, without waiting for its resources.
 * SyncFail hooks run only when the sync fails, after the others.
 */
import type { SyncPhase } from './sync-annotations.ts';
import type { SyncTask } from './sync-tasks.ts';

export interface SyncStep {
  /** Position in the plan (0 = the first step). */
  readonly index: number;
  readonly phase: SyncPhase;
  readonly wave: number;
  readonly tasks: readonly SyncTask[];
  /**
   * Whether the sync waits for this step's resources (not only its hooks) to be healthy before the next step;
   * every step but a last one without hooks, in a sync of more than one step.
   */
  readonly awaitsResources: boolean;
}

export interface SyncPlan {
  /** PreSync, Sync and PostSync steps, in the order they run. */
  readonly steps: readonly SyncStep[];
  /** SyncFail hooks: they run only after a failed sync. */
  readonly onFailure: readonly SyncTask[];
}

/** Groups tasks already in gitops-engine's order into steps. */
export function planSync(ordered: readonly SyncTask[]): SyncPlan {
  const onFailure = ordered.filter((task) => task.phase === 'SyncFail');
  const regular = ordered.filter((task) => task.phase !== 'SyncFail');
  // `syncTasks.multiStep` looks at every task, SyncFail hooks included.
  const first = ordered[0];
  const last = ordered.at(-1);
  const multiStep = first !== undefined && last !== undefined && (first.phase !== last.phase || first.wave !== last.wave);
  const groups: SyncTask[][] = [];
  for (const task of regular) {
    const group = groups.at(-1);
    if (group && group[0]!.phase === task.phase && group[0]!.wave === task.wave) group.push(task);
    else groups.push([task]);
  }
  const steps = groups.map((tasks, index): SyncStep => {
    const isLast = index === groups.length - 1;
    return {
      index,
      phase: tasks[0]!.phase,
      wave: tasks[0]!.wave,
      tasks,
      awaitsResources: multiStep && (!isLast || tasks.some((task) => task.hook)),
    };
  });
  return { steps, onFailure };
}

/** How a step is named in messages: `wave -5` in the Sync phase, `PreSync wave 0` in another. */
export function stepName(step: Pick<SyncStep, 'phase' | 'wave'>): string {
  return step.phase === 'Sync' ? `wave ${step.wave}` : `${step.phase} wave ${step.wave}`;
}
