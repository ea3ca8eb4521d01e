/**
 * The two patch formats the API server accepts for custom resources: JSON merge patch (RFC 7386) and JSON patch
 * (RFC 6902). Strategic merge patch is refused for custom resources (415), as by a real API server.
 */

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** RFC 7386: objects merge key by key, `null` removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const result: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

/** RFC 6902 (add, remove, replace, test); throws a message on a path that does not exist or a failed test. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new Error('a JSON patch must be an array of operations');
  let document = structuredClone(target);
  for (const operation of operations as Operation[]) {
    const segments = operation.path
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = segments.pop();
    if (last === undefined) {
      document = structuredClone(operation.value);
      continue;
    }
    let parent = document as Record<string, unknown>;
    for (const segment of segments) {
      const next = parent?.[segment];
      if (next === null || typeof next !== 'object') throw new Error(`path ${operation.path}: ${segment} does not exist`);
      parent = next as Record<string, unknown>;
    }
    if (operation.op === 'add' || operation.op === 'replace') {
      if (operation.op === 'replace' && !(last in parent)) throw new Error(`path ${operation.path} does not exist`);
      if (Array.isArray(parent)) {
        const index = last === '-' ? parent.length : Number(last);
        parent.splice(index, operation.op === 'replace' ? 1 : 0, structuredClone(operation.value));
      } else parent[last] = structuredClone(operation.value);
    } else if (operation.op === 'remove') {
      if (!(last in parent)) throw new Error(`path ${operation.path} does not exist`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (operation.op === 'test') {
      if (JSON.stringify(parent[last]) !== JSON.stringify(operation.value)) throw new Error(`test of ${operation.path} failed`);
    } else throw new Error(`unsupported operation ${operation.op}`);
  }
  return document;
}
