/**
 * The order Argo CD applies an environment in, and what runs when. gitops-engine sorts a sync's tasks by phase
 * (PreSync, Sync, PostSync), then wave, then kind, then name; it applies one wave at a time and starts the next only
 * when every hook of the wave has completed and, unless it is the last wave, every resource of it is healthy. So
 * guardrails exist before the first pod is admitted, the database answers before migrations run, everything a
 * hook's pods use (ServiceAccount, ConfigMaps, Secrets) exists before the hook, and migrations finish before the
 * services roll. `dynenv validate` plays this order over the rendered tree (src/validate/sync-simulation/).
 *
 * Every wave annotation dynenv writes comes from here: constructs use these helpers, never literal annotations.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { KustomizePatch } from './kustomize-patch.ts';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';

/**
 * Declares, on a hook, that running it again on every full sync is safe (it converges: migrations that skip
 * what is done, a Secret created only when absent). `dynenv validate` reports a hook that runs pods without it.
 */
export const IDEMPOTENT_ANNOTATION = 'dynenv.io/idempotent';

/**
 * Declares, on a hook, the objects its pods create while they run (`Secret/api-database`, comma-separated), so
 * that `dynenv validate` knows they exist once the hook has completed, and not before.
 */
export const CREATES_ANNOTATION = 'dynenv.io/creates';

/** The waves, in the order they run; services and everything else are in wave 0. */
export const SYNC_WAVES = {
  namespace: -20,
  guardrails: -10,
  databaseCredentials: -9,
  database: -8,
  /** ServiceAccounts, ConfigMaps and Secrets of the workloads: before every hook that runs with them. */
  configuration: -7,
  migration: -5,
  /** A preview's seed data, once the migrations have run (a plain Job that runs once: `runOnce`). */
  seed: -4,
} as const;

/** The kinds a pod runs with by name, which must therefore exist before a hook's pods start. */
const CONFIGURATION_KINDS: ReadonlySet<string> = new Set(['ServiceAccount', 'ConfigMap', 'Secret']);

export function syncWave(wave: number): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(wave) };
}

export interface SyncHookOptions {
  /**
   * The phase it runs in: `PreSync` before anything is applied, `Sync` in its wave, `PostSync` once every resource
   * of the Sync phase is healthy (a smoke test), `SyncFail` after a failed sync. @default "Sync"
   */
  readonly phase?: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
  /** Running it on every full sync is safe (see IDEMPOTENT_ANNOTATION). @default false */
  readonly idempotent?: boolean;
  /** Objects its pods create, as `Kind/name` (see CREATES_ANNOTATION). @default none */
  readonly creates?: readonly string[];
}

/**
 * A hook (a Sync hook unless `options.phase` says otherwise) in `wave`: re-created on every full sync (each new
 * revision, a manual sync, a retry; self-heal syncs skip hooks), and kept after it succeeds, for its logs, until the
 * next sync replaces it.
 */
export function syncHook(wave: number, options: SyncHookOptions = {}): Record<string, string> {
  return {
    [HOOK_ANNOTATION]: options.phase ?? 'Sync',
    [HOOK_DELETE_POLICY_ANNOTATION]: 'BeforeHookCreation',
    ...syncWave(wave),
    ...(options.idempotent && { [IDEMPOTENT_ANNOTATION]: 'true' }),
    ...(options.creates?.length && { [CREATES_ANNOTATION]: options.creates.join(',') }),
  };
}

/**
 * A plain resource (no hook) in `wave`. For a Job, that is what runs once: Argo CD creates it on the first sync and
 * waits for it to complete (unless it is in the last wave), and, as long as it exists and the Application leaves its
 * spec alone (RUN_ONCE_JOBS), never again; deleting it runs it again.
 */
export function runOnce(wave: number): Record<string, string> {
  return syncWave(wave);
}

/**
 * Puts every ServiceAccount, ConfigMap and Secret under `scope` that has no wave of its own into the configuration
 * wave, so that a hook's pods never start before what they run with (a ServiceAccount applied later refuses them;
 * a ConfigMap applied later leaves them waiting, or on later syncs gives them the previous values). Charts call it
 * once all their constructs exist. PersistentVolumeClaims are left alone on purpose: a claim of a
 * WaitForFirstConsumer StorageClass stays Pending, which Argo CD counts as Progressing, until a pod uses it, so it
 * must sync in the wave of its first consumer, never before.
 */
export function assignConfigurationWave(scope: Construct): void {
  for (const construct of scope.node.findAll()) {
    // A patch only merges fields into an object of the base, which has its wave already.
    if (!(construct instanceof ApiObject) || !CONFIGURATION_KINDS.has(construct.kind) || KustomizePatch.isPatch(construct)) continue;
    if (construct.toJson().metadata?.annotations?.[SYNC_WAVE_ANNOTATION] !== undefined) continue;
    construct.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(SYNC_WAVES.configuration));
  }
}

/**
 * What an Application needs to deploy a plain Job (no hook) that must run once, like a preview's seed: Kubernetes
 * refuses any change to a Job's pod template, so a later sync that changes it (a new image tag with every commit)
 * would fail with "field is immutable". Ignoring the Jobs' `spec` and respecting ignored differences makes Argo CD
 * create a Job once and leave it alone after (controller/sync.go, `normalizeTargetResources`). Hooks are not
 * compared, so this touches plain Jobs only. Deleting such a Job by hand makes self-heal create it anew: a re-run.
 */
export const RUN_ONCE_JOBS = {
  ignoreDifferences: [{ group: 'batch', kind: 'Job', jsonPointers: ['/spec'] }],
  syncOption: 'RespectIgnoreDifferences=true',
} as const;
