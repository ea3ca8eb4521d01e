/** Argo CD's reading of sync annotations, against the cases of gitops-engine's own tests (hook_test.go, sync_phase_test.go). */
import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../../../src/gitops/kustomize-build.ts';
import { hookDeletePolicies, hookTypes, isHook, isSkipped, syncPhases, syncWaveOf } from '../../../src/validate/sync-simulation/sync-annotations.ts';

const pod = (annotations: Record<string, string> = {}): KubernetesObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations } });
const hook = (value: string) => pod({ 'argocd.argoproj.io/hook': value });

describe('hook annotations (hook_test.go, sync_phase_test.go)', () => {
  it.each([
    // name, object, isHook, isSkipped, types, phases
    ['no hook', pod(), false, false, [], ['Sync']],
    ['PreSync', hook('PreSync'), true, false, ['PreSync'], ['PreSync']],
    ['Sync', hook('Sync'), true, false, ['Sync'], ['Sync']],
    ['PostSync', hook('PostSync'), true, false, ['PostSync'], ['PostSync']],
    ['SyncFail', hook('SyncFail'), true, false, ['SyncFail'], ['SyncFail']],
    // "something marked with Skip cannot, by definition, be a hook"
    ['Skip', hook('Skip'), false, true, ['Skip'], []],
    // "garbage hooks are still hooks, but have no phases"
    ['a misspelt hook', hook('Garbage'), true, false, [], []],
    ['two hooks', hook('PreSync,PostSync'), true, false, ['PreSync', 'PostSync'], ['PreSync', 'PostSync']],
    ['a repeated hook', hook('Sync,Sync'), true, false, ['Sync'], ['Sync']],
    ['Skip with hooks', hook('Skip,PreSync,PostSync'), true, false, ['Skip', 'PreSync', 'PostSync'], ['PreSync', 'PostSync']],
    ['a hook with garbage', hook('Sync,Garbage'), true, false, ['Sync'], ['Sync']],
    ['spaces around values', hook(' PreSync , Sync '), true, false, ['PreSync', 'Sync'], ['PreSync', 'Sync']],
    ['Helm pre-install and pre-upgrade', pod({ 'helm.sh/hook': 'pre-install,pre-upgrade' }), true, false, ['PreSync'], ['PreSync']],
    ['Helm post-install', pod({ 'helm.sh/hook': 'post-install' }), true, false, ['PostSync'], ['PostSync']],
    ['a misspelt Helm hook', pod({ 'helm.sh/hook': 'garbage' }), true, false, [], []],
    ["Helm's crd-install, which is no hook", pod({ 'helm.sh/hook': 'crd-install' }), false, false, [], ['Sync']],
    ["Argo CD's hook over Helm's", pod({ 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'pre-install' }), true, false, ['Sync'], ['Sync']],
  ] as const)('%s', (_name, object, hookExpected, skipped, types, phases) => {
    expect(isHook(object)).toBe(hookExpected);
    expect(isSkipped(object)).toBe(skipped);
    expect(hookTypes(object)).toEqual(types);
    expect(syncPhases(object)).toEqual(phases);
  });
});

describe('waves (syncwaves/waves.go)', () => {
  it.each([
    [{}, 0],
    [{ 'argocd.argoproj.io/sync-wave': '-5' }, -5],
    [{ 'argocd.argoproj.io/sync-wave': '+3' }, 3],
    // not an integer for strconv.Atoi: no wave, so Helm's weight, else 0
    [{ 'argocd.argoproj.io/sync-wave': ' 1' }, 0],
    [{ 'argocd.argoproj.io/sync-wave': '1.5', 'helm.sh/hook-weight': '7' }, 7],
    [{ 'helm.sh/hook-weight': '-2' }, -2],
    [{ 'argocd.argoproj.io/sync-wave': '4', 'helm.sh/hook-weight': '-2' }, 4],
  ])('%o is wave %d', (annotations, wave) => {
    expect(syncWaveOf(pod(annotations))).toBe(wave);
  });
});

describe('hook delete policies (hook/delete_policy.go)', () => {
  it('defaults to BeforeHookCreation, and adds Helm policies to Argo CD ones', () => {
    expect(hookDeletePolicies(hook('Sync'))).toEqual(['BeforeHookCreation']);
    expect(hookDeletePolicies(pod({ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,Garbage' }))).toEqual(['HookSucceeded']);
    expect(hookDeletePolicies(pod({ 'argocd.argoproj.io/hook-delete-policy': 'HookFailed', 'helm.sh/hook-delete-policy': 'hook-succeeded' }))).toEqual([
      'HookFailed',
      'HookSucceeded',
    ]);
    expect(hookDeletePolicies(pod({ 'argocd.argoproj.io/hook-delete-policy': 'Garbage' }))).toEqual(['BeforeHookCreation']);
  });
});
