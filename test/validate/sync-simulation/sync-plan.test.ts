/** Steps of a sync and what each waits for (gitops-engine sync_context.go `Sync`; Test_syncTasks_multiStep). */
import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../../../src/gitops/kustomize-build.ts';
import { planSync, stepName } from '../../../src/validate/sync-simulation/sync-plan.ts';
import { orderedSyncTasks } from '../../../src/validate/sync-simulation/sync-tasks.ts';

const pod = (name: string, annotations: Record<string, string> = {}): KubernetesObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations } });
const plan = (...objects: KubernetesObject[]) =>
  planSync(orderedSyncTasks(objects, 'shop')).steps.map((step) => ({
    step: stepName(step),
    tasks: step.tasks.map((task) => task.object.metadata.name),
    awaitsResources: step.awaitsResources,
  }));

describe('planSync', () => {
  it('waits for nothing but hooks in a sync of one step (Test_syncTasks_multiStep: Single)', () => {
    expect(
      plan(pod('a', { 'argocd.argoproj.io/sync-wave': '-1' }), pod('b', { 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/hook': 'Sync' })),
    ).toEqual([{ step: 'wave -1', tasks: ['a', 'b'], awaitsResources: false }]);
  });

  it('waits for every step but a last one without hooks (Test_syncTasks_multiStep: Double)', () => {
    expect(
      plan(
        pod('pre', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-1' }),
        pod('early', { 'argocd.argoproj.io/sync-wave': '-2' }),
        pod('late'),
        pod('post', { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/sync-wave': '1' }),
      ),
    ).toEqual([
      { step: 'PreSync wave -1', tasks: ['pre'], awaitsResources: true },
      { step: 'wave -2', tasks: ['early'], awaitsResources: true },
      { step: 'wave 0', tasks: ['late'], awaitsResources: true },
      { step: 'PostSync wave 1', tasks: ['post'], awaitsResources: true },
    ]);
    expect(plan(pod('early', { 'argocd.argoproj.io/sync-wave': '-2' }), pod('late')).map((step) => step.awaitsResources)).toEqual([true, false]);
  });

  it('keeps SyncFail hooks out of the steps, for after a failure, though they make the sync one of several steps', () => {
    const app = pod('app');
    const migrate = pod('migrate', { 'argocd.argoproj.io/hook': 'Sync' });
    const cleanup = pod('cleanup', { 'argocd.argoproj.io/hook': 'SyncFail' });
    const withCleanup = planSync(orderedSyncTasks([app, migrate, cleanup], 'shop'));
    // One step with a hook: alone it waits for its hook only; a SyncFail hook makes it wait for its resources too.
    expect(withCleanup.steps.map((step) => [stepName(step), step.awaitsResources])).toEqual([['wave 0', true]]);
    expect(withCleanup.onFailure.map((task) => task.object.metadata.name)).toEqual(['cleanup']);
    expect(planSync(orderedSyncTasks([app, migrate], 'shop')).steps.map((step) => step.awaitsResources)).toEqual([false]);
  });
});
