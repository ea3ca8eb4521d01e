import { closestMatch } from '../../contract/suggest.ts';

/** The environments dynenv manages, in promotion order (preview sits beside dev: one per pull request). */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod', 'preview'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Environments whose images must be pinned by digest, so promotion moves a digest staging already ran. */
export const PINNED_ENVIRONMENTS: readonly EnvironmentName[] = ['staging', 'prod'];

/** Other names people give the environments, for "did you mean": `production` → `prod`. */
const USUAL_NAMES: Readonly<Record<string, EnvironmentName>> = {
  production: 'prod',
  prd: 'prod',
  live: 'prod',
  stage: 'staging',
  stg: 'staging',
  development: 'dev',
  develop: 'dev',
  review: 'preview',
  previews: 'preview',
  pr: 'preview',
};

/** The environment an unknown environment name probably means: a usual other name, a typo, or a longer spelling. */
export function suggestEnvironmentName(name: string): EnvironmentName | undefined {
  const lower = name.toLowerCase();
  const usual = USUAL_NAMES[lower];
  if (usual) return usual;
  return (closestMatch(lower, ENVIRONMENT_NAMES) as EnvironmentName | undefined) ?? ENVIRONMENT_NAMES.find((candidate) => lower.startsWith(candidate));
}
