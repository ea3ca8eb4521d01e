/** Hooks that run again on every full sync, and Jobs the sync waits for without a deadline. */
import { describe, expect, it } from 'vitest';
import { syncDeadlineRule, syncRerunRule } from '../../../src/validate/rules/sync-hooks.ts';
import { DIGEST, addObjects, healthyTree, lines } from '../fixtures.ts';

function job(name: string, annotations: Record<string, string>, spec: Record<string, unknown> = { activeDeadlineSeconds: 900 }): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, annotations },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name, image: `ghcr.io/acme/api@${DIGEST}` }] } } },
  });
}

describe('sync-rerun rule', () => {
  it('passes the healthy tree, hooks declared idempotent, hooks that run no pod and plain Jobs', async () => {
    const tree = healthyTree();
    addObjects(tree, 'prod', job('api-migrate', { 'argocd.argoproj.io/hook': 'Sync', 'dynenv.io/idempotent': 'true' }));
    addObjects(
      tree,
      'prod',
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'marker', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } } }),
    );
    addObjects(tree, 'prod', job('api-seed', { 'argocd.argoproj.io/sync-wave': '-4' }));
    expect(await lines(syncRerunRule, tree)).toEqual([]);
  });

  it('reports a hook that runs pods and is not declared idempotent: it writes its data again on each new commit', async () => {
    const tree = healthyTree();
    addObjects(tree, 'prod', job('api-seed', { 'argocd.argoproj.io/hook': 'PreSync,PostSync', 'argocd.argoproj.io/sync-wave': '2' }));
    addObjects(tree, 'prod', job('notify', { 'argocd.argoproj.io/hook': 'SyncFail', 'dynenv.io/idempotent': 'false' }));
    expect(await lines(syncRerunRule, tree)).toEqual([
      'warning prod Job/api-seed: PreSync and PostSync hook in wave 2: Argo CD runs it again on every full sync (each new commit, a change to the Application, a manual sync, a retry; self-heal syncs run no hook), and it is not declared idempotent: if its pods write data (seed data, an import), they write it again',
      'warning prod Job/notify: SyncFail hook in wave 0: Argo CD runs it again on every failed sync, and it is not declared idempotent: if its pods write data (seed data, an import), they write it again',
    ]);
  });
});

describe('sync-deadline rule', () => {
  it('passes hooks with a deadline and a plain Job of the last wave (nothing waits for it)', async () => {
    const tree = healthyTree();
    addObjects(tree, 'prod', job('api-migrate', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-5' }));
    addObjects(tree, 'prod', job('report', {}, {}));
    expect(await lines(syncDeadlineRule, tree)).toEqual([]);
  });

  it('reports a hook, or a Job of an earlier wave, that could hold the sync forever', async () => {
    const tree = healthyTree();
    addObjects(tree, 'prod', job('api-migrate', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-5' }, { backoffLimit: 2 }));
    addObjects(tree, 'prod', job('api-seed', { 'argocd.argoproj.io/sync-wave': '-4' }, {}));
    addObjects(
      tree,
      'prod',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'smoke', annotations: { 'argocd.argoproj.io/hook': 'PostSync' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'smoke', image: `ghcr.io/acme/smoke@${DIGEST}` }] },
      }),
    );
    expect(await lines(syncDeadlineRule, tree)).toEqual([
      'warning prod Job/api-migrate spec: Sync hook in wave -5, and it has no activeDeadlineSeconds: a pod that never finishes (an image that never pulls, a database that never answers) holds the sync, and with it the deletion of the environment, until someone runs argocd app terminate-op',
      'warning prod Job/api-seed spec: in wave -4, the sync waits for it to complete, and it has no activeDeadlineSeconds: a pod that never finishes (an image that never pulls, a database that never answers) holds the sync, and with it the deletion of the environment, until someone runs argocd app terminate-op',
      'warning prod Pod/smoke spec: PostSync hook in wave 0, and it has no activeDeadlineSeconds: a pod that never finishes (an image that never pulls, a database that never answers) holds the sync, and with it the deletion of the environment, until someone runs argocd app terminate-op',
    ]);
  });
});
