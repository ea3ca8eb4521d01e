/**
 * A container's `env` and `envFrom` in dynenv's terms: literals and references to a Secret key, a ConfigMap key or
 * a pod field become the `env` map; what the model has no word for (a `resourceFieldRef`, a field path it does not
 * list) is handed back to go into the workload's patch unchanged.
 */
import { isPodFieldPath, type EnvValue } from '../config/env-schema.ts';
import type { Json } from './json.ts';

/** A ConfigMap of the input whose keys the import may copy into `env` as literals. */
export type InlinableConfigMaps = ReadonlyMap<string, Readonly<Record<string, string>>>;

export interface ImportedEnv {
  readonly env: Record<string, EnvValue>;
  readonly envFrom: Json[];
  /** Entries carried as written, through the patch. */
  readonly uncarried: Json[];
  readonly notes: string[];
}

/** `env` and `envFrom` of a container; ConfigMaps in `inline` are copied in as literals instead of referenced. */
export function importEnv(container: Json, inline: InlinableConfigMaps, where: string): ImportedEnv {
  const env: Record<string, EnvValue> = {};
  const envFrom: Json[] = [];
  const uncarried: Json[] = [];
  const notes: string[] = [];
  for (const source of (container.envFrom ?? []) as Json[]) {
    const prefix: string = source.prefix ?? '';
    if (source.configMapRef && inline.has(source.configMapRef.name)) {
      for (const [key, value] of Object.entries(inline.get(source.configMapRef.name)!)) env[`${prefix}${key}`] = value;
      notes.push(`${where}: the keys of ConfigMap ${source.configMapRef.name} (envFrom) are literals in env`);
    } else if (source.configMapRef || source.secretRef) {
      const reference = source.configMapRef ?? source.secretRef;
      envFrom.push({
        [source.configMapRef ? 'configMap' : 'secret']: reference.name,
        ...(source.prefix !== undefined && { prefix: source.prefix }),
        ...(reference.optional !== undefined && { optional: reference.optional }),
      });
    }
  }
  for (const variable of (container.env ?? []) as Json[]) {
    const name: string = variable.name;
    const from = variable.valueFrom;
    if (from === undefined) {
      env[name] = String(variable.value ?? '');
      continue;
    }
    const keyRef = from.secretKeyRef ?? from.configMapKeyRef;
    if (from.configMapKeyRef && inline.get(from.configMapKeyRef.name)?.[from.configMapKeyRef.key] !== undefined) {
      env[name] = inline.get(from.configMapKeyRef.name)![from.configMapKeyRef.key]!;
      notes.push(`${where}: env ${name} is the literal value of ConfigMap ${from.configMapKeyRef.name} key ${from.configMapKeyRef.key}`);
    } else if (keyRef) {
      env[name] = {
        [from.secretKeyRef ? 'secretKeyRef' : 'configMapKeyRef']: {
          name: keyRef.name,
          key: keyRef.key,
          ...(keyRef.optional !== undefined && { optional: keyRef.optional }),
        },
      } as EnvValue;
    } else if (from.fieldRef && isPodFieldPath(from.fieldRef.fieldPath)) {
      env[name] = { fieldRef: from.fieldRef.fieldPath };
    } else {
      uncarried.push(variable);
      notes.push(`${where}: env ${name} (${Object.keys(from).join(', ')}) has no field in dynenv.yaml: carried by the patch`);
    }
  }
  return { env, envFrom, uncarried, notes };
}
