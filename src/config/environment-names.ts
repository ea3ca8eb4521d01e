/** The environments dynenv manages, in promotion order (preview sits beside dev: one per pull request). */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod', 'preview'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Environments whose images must be pinned by digest, so promotion moves a digest staging already ran. */
export const PINNED_ENVIRONMENTS: readonly EnvironmentName[] = ['staging', 'prod'];
