/** The Pod Security level dynenv.yaml gives each environment (`environments.<env>.podSecurity`), for validate's rules. */
import type { PodSecurityLevel } from '../config/guardrails-schema.ts';
import { ENVIRONMENT_NAMES, type Config } from '../config/schema.ts';

export function podSecurityLevels(config: Config): Record<string, PodSecurityLevel> {
  return Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, config.environments[name].podSecurity]));
}
