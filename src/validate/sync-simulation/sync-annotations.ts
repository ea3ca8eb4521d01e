/**
 * How Argo CD reads an object's sync annotations, as gitops-engine does (argoproj/argo-cd
 * gitops-engine/pkg/sync/hook/hook.go, hook/delete_policy.go, hook/helm/*.go, syncwaves/waves.go, sync_phase.go,
 * resource/annotations.go): comma-separated values, trimmed and de-duplicated; Argo CD's own hook annotation wins
 * over Helm's; a misspelt hook type still makes the object a hook, of no phase, so it is never applied.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';

export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

export type HookType = SyncPhase | 'Skip';
export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';

const HOOK = 'argocd.argoproj.io/hook';
const HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const HELM_HOOK = 'helm.sh/hook';
const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';
const HELM_HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';

const HOOK_TYPES: ReadonlySet<string> = new Set<HookType>([...SYNC_PHASES, 'Skip']);
const DELETE_POLICIES: ReadonlySet<string> = new Set<HookDeletePolicy>(['HookSucceeded', 'HookFailed', 'BeforeHookCreation']);
const HELM_HOOK_TYPES: Readonly<Record<string, HookType>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};
const HELM_DELETE_POLICIES: Readonly<Record<string, HookDeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

function annotation(object: KubernetesObject, key: string): string | undefined {
  const value = (object.metadata?.annotations as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The values of a comma-separated annotation, trimmed, without empty or repeated ones (GetAnnotationCSVs). */
function csv(object: KubernetesObject, key: string): string[] {
  const values = (annotation(object, key) ?? '').split(',').map((value) => value.trim());
  return [...new Set(values.filter((value) => value !== ''))];
}

/** The hook types an object declares: Argo CD's annotation, else Helm's (mapped to Argo CD's phases). */
export function hookTypes(object: KubernetesObject): HookType[] {
  const types = csv(object, HOOK).filter((value): value is HookType => HOOK_TYPES.has(value));
  if (types.length > 0) return types;
  return [...new Set(csv(object, HELM_HOOK).flatMap((value) => (value in HELM_HOOK_TYPES ? [HELM_HOOK_TYPES[value]!] : [])))];
}

/** `Skip` alone: Argo CD neither applies the object nor runs it as a hook. */
export function isSkipped(object: KubernetesObject): boolean {
  const types = hookTypes(object);
  return types.includes('Skip') && types.length === 1;
}

/** A hook: Argo CD's hook annotation (any value but a lone Skip), or Helm's (but `crd-install`, which is a CRD). */
export function isHook(object: KubernetesObject): boolean {
  if (annotation(object, HOOK) !== undefined) return !isSkipped(object);
  const helm = annotation(object, HELM_HOOK);
  return helm !== undefined && helm !== 'crd-install';
}

/**
 * The phases an object takes part in: its hook types for a hook (none if they are all misspelt), Sync for any
 * other object, none for a skipped one.
 */
export function syncPhases(object: KubernetesObject): SyncPhase[] {
  if (isSkipped(object)) return [];
  if (isHook(object)) return hookTypes(object).filter((type): type is SyncPhase => type !== 'Skip');
  return ['Sync'];
}

/** The object's wave: its sync-wave annotation, else Helm's hook weight, else 0 (a value that is not an integer counts as absent). */
export function syncWaveOf(object: KubernetesObject): number {
  return integer(annotation(object, SYNC_WAVE)) ?? integer(annotation(object, HELM_HOOK_WEIGHT)) ?? 0;
}

/** Go's strconv.Atoi: an optional sign and decimal digits, nothing else. */
function integer(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A hook's delete policies: Argo CD's and Helm's annotations together; BeforeHookCreation when neither names one. */
export function hookDeletePolicies(object: KubernetesObject): HookDeletePolicy[] {
  const policies = [
    ...csv(object, HOOK_DELETE_POLICY).filter((value): value is HookDeletePolicy => DELETE_POLICIES.has(value)),
    ...csv(object, HELM_HOOK_DELETE_POLICY).flatMap((value) => (value in HELM_DELETE_POLICIES ? [HELM_DELETE_POLICIES[value]!] : [])),
  ];
  return policies.length > 0 ? [...new Set(policies)] : ['BeforeHookCreation'];
}
