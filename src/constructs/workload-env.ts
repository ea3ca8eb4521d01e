/**
 * How a service's environment variables reach its container: literals through its ConfigMap (read with
 * `envFrom`), references (Secret keys, ConfigMap keys, pod fields) as `env:` entries Kubernetes resolves.
 */
import * as kplus from 'cdk8s-plus-28';
import { isLiteral, type EnvFromConfig, type EnvValue } from '../config/env-schema.ts';

/** The name of a service's ConfigMap of literal environment variables. */
export function configMapName(service: string): string {
  return `${service}-config`;
}

/** The literal variables, for the ConfigMap. */
export function literalEnv(env: Readonly<Record<string, EnvValue>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => isLiteral(entry[1])));
}

/** The referenced variables as `env:` entries, sorted by name. */
export function referencedEnv(env: Readonly<Record<string, EnvValue>>): kplus.k8s.EnvVar[] {
  return Object.entries(env)
    .filter(([, value]) => !isLiteral(value))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => {
      if (isLiteral(value)) throw new Error('unreachable');
      if ('secretKeyRef' in value) return { name, valueFrom: { secretKeyRef: { ...value.secretKeyRef } } };
      if ('configMapKeyRef' in value) return { name, valueFrom: { configMapKeyRef: { ...value.configMapKeyRef } } };
      return { name, valueFrom: { fieldRef: { fieldPath: value.fieldRef } } };
    });
}

/** `envFrom` entries as configured. */
export function envFromSources(sources: readonly EnvFromConfig[]): kplus.k8s.EnvFromSource[] {
  return sources.map((source) => {
    const reference = { ...(source.optional !== undefined && { optional: source.optional }) };
    return {
      ...(source.prefix !== undefined && { prefix: source.prefix }),
      ...(source.configMap !== undefined ? { configMapRef: { name: source.configMap, ...reference } } : { secretRef: { name: source.secret!, ...reference } }),
    };
  });
}
