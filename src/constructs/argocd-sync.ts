/**
 * The order Argo CD applies an environment in. Within one sync, waves run in ascending order and each waits for
 * the previous one to be healthy, so guardrails exist before the first pod is admitted, the database answers
 * before migrations run, and migrations finish before the services roll. (A PreSync hook cannot be used: on a
 * preview's first sync its namespace, shipped in the overlay, does not exist yet during PreSync.)
 */

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** The waves, in the order they run; services and everything else are in wave 0. */
export const SYNC_WAVES = {
  namespace: -20,
  guardrails: -10,
  databaseCredentials: -9,
  database: -8,
  migration: -5,
} as const;

export function syncWave(wave: number): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(wave) };
}

/**
 * A Sync hook in `wave`: re-created on every sync (so each new commit migrates again), and kept after it
 * succeeds, for its logs, until the next sync replaces it.
 */
export function syncHook(wave: number): Record<string, string> {
  return {
    'argocd.argoproj.io/hook': 'Sync',
    'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    ...syncWave(wave),
  };
}
