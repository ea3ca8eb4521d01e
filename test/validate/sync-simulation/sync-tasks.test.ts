/** gitops-engine's task order, against the cases of its own tests (gitops-engine/pkg/sync/sync_tasks_test.go). */
import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../../../src/gitops/kustomize-build.ts';
import { kindRank, orderedSyncTasks } from '../../../src/validate/sync-simulation/sync-tasks.ts';

/** An object of `kind` (or none) with a name and annotations, in the core group unless `apiVersion` says otherwise. */
const object = (kind: string, name = '', annotations: Record<string, string> = {}, extra: Partial<KubernetesObject> = {}): KubernetesObject =>
  ({ apiVersion: 'v1', kind, metadata: { name, annotations }, ...extra }) as KubernetesObject;
const hook = (phase: string) => ({ 'argocd.argoproj.io/hook': phase });
const wave = (value: number) => ({ 'argocd.argoproj.io/sync-wave': String(value) });
const order = (objects: KubernetesObject[], namespace?: string) =>
  orderedSyncTasks(objects, namespace).map((task) => `${task.phase}/${task.wave} ${task.object.kind || '-'}/${task.object.metadata.name || '-'}`);

describe('kind order (Test_syncTasks_kindOrder)', () => {
  it('ranks Namespace first and APIService last of the known kinds, and any other kind after them', () => {
    expect(kindRank('Namespace')).toBe(-35);
    expect(kindRank('APIService')).toBe(-1);
    expect(kindRank('MyCRD')).toBe(0);
    expect(kindRank('ServiceAccount')).toBeLessThan(kindRank('Job'));
    expect(kindRank('ConfigMap')).toBeLessThan(kindRank('Pod'));
  });
});

describe('orderedSyncTasks', () => {
  it('sorts by phase, wave, kind and name (TestSortSyncTask)', () => {
    const unsorted = [
      object('Pod'),
      object('Service'),
      object('PersistentVolume'),
      object('', '', hook('SyncFail')),
      object('', '', wave(1)),
      object('', 'b'),
      object('', 'a'),
      object('', '', wave(-1)),
      object(''),
      object('', '', hook('PreSync')),
      object('', '', hook('PostSync')),
      object('ConfigMap'),
    ];
    expect(order(unsorted)).toEqual([
      'PreSync/0 -/-',
      'Sync/-1 -/-',
      'Sync/0 ConfigMap/-',
      'Sync/0 PersistentVolume/-',
      'Sync/0 Service/-',
      'Sync/0 Pod/-',
      'Sync/0 -/-',
      'Sync/0 -/a',
      'Sync/0 -/b',
      'Sync/1 -/-',
      'PostSync/0 -/-',
      'SyncFail/0 -/-',
    ]);
  });

  it('puts each Namespace before the first task in it, in that task phase and wave (TestSyncTasksSort_NamespaceAndObjectInNamespace)', () => {
    const job = (name: string, namespace: string) =>
      object('Job', name, hook('PreSync'), { apiVersion: 'batch/v1', metadata: { name, namespace, annotations: hook('PreSync') } });
    const tasks = orderedSyncTasks(
      [
        job('mySyncHookJob1', 'myNamespace1'),
        job('mySyncHookJob2', 'myNamespace2'),
        object('Namespace', 'myNamespace1', wave(1)),
        object('Namespace', 'myNamespace2', wave(2)),
      ],
      undefined,
    );
    expect(tasks.map((task) => `${task.phase}/${task.wave} ${task.object.kind}/${task.object.metadata.name}`)).toEqual([
      'PreSync/0 Namespace/myNamespace1',
      'PreSync/0 Job/mySyncHookJob1',
      'PreSync/0 Namespace/myNamespace2',
      'PreSync/0 Job/mySyncHookJob2',
    ]);
  });

  it("gives objects without a namespace the Application's, so its Namespace moves before them", () => {
    expect(order([object('ConfigMap', 'settings', wave(-3)), object('Namespace', 'shop', wave(5))], 'shop')).toEqual([
      'Sync/-3 Namespace/shop',
      'Sync/-3 ConfigMap/settings',
    ]);
  });

  it('puts a CRD before its custom resources (TestSyncTasksSort_CRDAndCR), and a Namespace before an unknown kind (TestSyncNamespaceAgainstCRD)', () => {
    const customResource = { apiVersion: 'argoproj.io/v1', kind: 'Workflow', metadata: { name: 'w', annotations: hook('PreSync') } } as KubernetesObject;
    const definition = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'workflows.argoproj.io' },
      spec: { group: 'argoproj.io', names: { kind: 'Workflow' } },
    } as KubernetesObject;
    expect(order([customResource, definition])).toEqual(['PreSync/0 CustomResourceDefinition/workflows.argoproj.io', 'PreSync/0 Workflow/w']);
    expect(order([object('Workflow'), object('Namespace')])).toEqual(['Sync/0 Namespace/-', 'Sync/0 Workflow/-']);
  });

  it('runs a hook of several phases once in each, and never applies a skipped object or a hook of no known phase', () => {
    expect(
      order([object('Job', 'check', hook('PreSync,PostSync')), object('ConfigMap', 'local', hook('Skip')), object('Job', 'typo', hook('PostSink'))]),
    ).toEqual(['PreSync/0 Job/check', 'PostSync/0 Job/check']);
  });
});
