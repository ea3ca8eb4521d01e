/**
 * The 100-service configuration of bench/synth, completed for validation: quotas sized for that many services
 * (the guardrail checks reject the per-environment defaults, rightly), and a repository and plugin image, so that
 * argocd/ is synthesized and validated too.
 */
import { parse, stringify } from 'yaml';
import { ENVIRONMENT_NAMES } from '../../src/config/schema.ts';
import { generateConfig } from '../synth/generate-config.ts';

export function largeConfig(count: number): string {
  const config = parse(generateConfig(count)) as { environments: Record<string, object>; [field: string]: unknown };
  // Peak of every replica plus a rolling update's surge, at the generator's requests (100m, 128Mi; limit 256Mi).
  const quota = { requests: { cpu: String(count), memory: `${count}Gi` }, limits: { memory: `${2 * count}Gi` }, pods: 10 * count };
  for (const environment of ENVIRONMENT_NAMES) config.environments[environment] = { ...config.environments[environment], quota };
  config.repository = { url: 'https://github.com/example-org/bench.git' };
  config.argocd = { plugin: { image: 'ghcr.io/example-org/dynenv:0.1.0' } };
  return stringify(config);
}
