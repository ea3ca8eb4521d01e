/**
 * Safe reads of rendered manifests. The rules run on every object, including those the schema check rejects,
 * so nothing here trusts a field to have the type the API expects.
 */

/** `value` when it is a plain object (a YAML map), else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `value` when it is a list, else an empty list. */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value` when it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value at `path` below `value` (map keys and list indexes), or undefined where the path leaves the data. */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else current = asRecord(current)?.[segment as string];
    if (current === undefined) return undefined;
  }
  return current;
}

/** A string-to-string map (labels, a selector's matchLabels); other entries are left out. */
export function asStringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(value) ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
