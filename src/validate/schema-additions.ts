/**
 * Fields Argo CD reads that the bundled @kubernetes-models/argo-cd schemas predate. The newer models package needs
 * Node 22, so the few fields dynenv writes and documents are listed here, each with the Argo CD release that added
 * it, rather than reported as unknown. Paths use "*" for any list index.
 */
const ADDITIONS: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = {
  // Argo CD v3.3.0 (argoproj/argo-cd#24674): `name`, a glob, restricts a cluster-scoped whitelist entry.
  'argoproj.io/v1alpha1 AppProject': [
    ['spec', 'clusterResourceWhitelist', '*', 'name'],
    ['spec', 'clusterResourceBlacklist', '*', 'name'],
  ],
};

/** True when `path` of an object of `apiVersion`/`kind` is a field its schema lacks but Argo CD reads. */
export function isSchemaAddition(apiVersion: string, kind: string, path: readonly PropertyKey[]): boolean {
  return (ADDITIONS[`${apiVersion} ${kind}`] ?? []).some(
    (pattern) =>
      pattern.length === path.length && pattern.every((segment, index) => (segment === '*' ? typeof path[index] === 'number' : segment === path[index])),
  );
}
