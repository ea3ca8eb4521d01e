/** The sync-order helpers: waves, hooks, and the configuration wave that puts a hook's inputs before it. */
import { ApiObject, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { SYNC_WAVES, SYNC_WAVE_ANNOTATION, assignConfigurationWave, syncHook, syncWave } from '../../src/constructs/argocd-sync.ts';
import { KustomizePatch } from '../../src/constructs/kustomize-patch.ts';
import { exampleTree, objectsIn } from '../support/example.ts';

describe('syncHook', () => {
  it('is a Sync hook replaced on the next sync, declaring what it creates and whether it may run again', () => {
    expect(syncHook(-9, { idempotent: true, creates: ['Secret/api-database', 'Secret/orders-database'] })).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '-9',
      'dynenv.io/idempotent': 'true',
      'dynenv.io/creates': 'Secret/api-database,Secret/orders-database',
    });
    expect(syncHook(0, { phase: 'PostSync', idempotent: true })).toEqual({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '0',
      'dynenv.io/idempotent': 'true',
    });
    expect(syncHook(-5)).toEqual({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '-5',
    });
  });
});

describe('assignConfigurationWave', () => {
  it('puts ServiceAccounts, ConfigMaps and Secrets without a wave in the configuration wave, before the migrations', () => {
    const chart = Testing.chart();
    const object = (kind: string, name: string, annotations?: Record<string, string>) =>
      new ApiObject(chart, `${kind}-${name}`, { apiVersion: 'v1', kind, metadata: { name, annotations } });
    object('ServiceAccount', 'api');
    object('ConfigMap', 'api-config');
    object('Secret', 'api-keys');
    object('ServiceAccount', 'database-credentials', syncWave(SYNC_WAVES.guardrails));
    object('PersistentVolumeClaim', 'uploads');
    object('Service', 'api');
    new KustomizePatch(chart, 'patch', { apiVersion: 'v1', kind: 'ConfigMap', name: 'api-config', body: { data: { A: '1' } } });
    assignConfigurationWave(chart);

    const waves = Object.fromEntries(
      (Testing.synth(chart) as any[]).map((item) => [`${item.kind}/${item.metadata.name}`, item.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]),
    );
    expect(SYNC_WAVES.configuration).toBeLessThan(SYNC_WAVES.migration);
    expect(waves).toEqual({
      'ServiceAccount/api': String(SYNC_WAVES.configuration),
      'ConfigMap/api-config': undefined, // the patch: only its fields reach the object of the base
      'Secret/api-keys': String(SYNC_WAVES.configuration),
      'ServiceAccount/database-credentials': String(SYNC_WAVES.guardrails),
      // A claim waits for its first consumer: it must not sync in a wave of its own before it.
      'PersistentVolumeClaim/uploads': undefined,
      'Service/api': undefined,
    });
    // The ConfigMap object itself (not the patch) is in the configuration wave.
    const configMap = chart.node
      .findAll()
      .find((construct) => construct instanceof ApiObject && construct.kind === 'ConfigMap' && !KustomizePatch.isPatch(construct));
    expect((configMap as ApiObject).toJson().metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.configuration) });
  });
});

describe('the bundled example', () => {
  // Issue 15, item 1: the migration hook ran in wave -5 with a ServiceAccount and ConfigMaps of wave 0.
  it('syncs the ServiceAccount and ConfigMaps the migration Job runs with before the Job, in every environment', async () => {
    const tree = await exampleTree();
    const wave = (object: { metadata: { annotations?: Record<string, string> } }) => Number(object.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0);
    const base = objectsIn(tree, 'base/api');
    for (const environment of ['dev', 'staging', 'prod', 'preview']) {
      const objects = [...base, ...objectsIn(tree, `overlays/${environment}`)];
      const job = objects.find((object) => object.kind === 'Job' && object.metadata.name === 'api-migrate') as any;
      const spec = job.spec.template.spec;
      const needs = [
        { kind: 'ServiceAccount', name: spec.serviceAccountName },
        ...[...spec.containers, ...(spec.initContainers ?? [])].flatMap((container: any) =>
          container.envFrom.filter((source: any) => source.configMapRef).map((source: any) => ({ kind: 'ConfigMap', name: source.configMapRef.name })),
        ),
      ];
      expect(needs.length, environment).toBeGreaterThan(1);
      for (const need of needs) {
        const object = objects.find((candidate) => candidate.kind === need.kind && candidate.metadata.name === need.name);
        expect(object, `${environment}: ${need.kind}/${need.name}`).toBeDefined();
        expect(wave(object!), `${environment}: ${need.kind}/${need.name}`).toBeLessThan(wave(job));
      }
    }
  });
});
