/**
 * The patches of dynenv.yaml (the escape hatch) as files of a tree folder. A strategic merge patch gets the
 * target's apiVersion, kind and name, so the file is readable on its own and kustomize knows the object's schema
 * (lists of containers merge by name); a JSON 6902 patch stays the list of operations it is.
 */
import { KNOWN_API_VERSIONS, type PatchConfig, type PatchTarget } from '../config/patches-schema.ts';
import type { TargetedPatch } from './tree-chart.ts';

/**
 * One file per patch, in the order given, named `user-<n>-<kind>-<name>.yaml` with n counted from `first`
 * (so the patches of several sources in one folder keep their order and never share a file).
 */
export function userPatchFiles(patches: readonly PatchConfig[], defaultTarget: PatchTarget | undefined, first = 1): TargetedPatch[] {
  return patches.map((entry, index) => {
    const target = entry.target ?? defaultTarget;
    // The environment-wide schema requires a target; the service-wide ones default to the workload.
    if (target === undefined) throw new Error('unvalidated configuration: a patch without a target');
    const file = `user-${String(first + index).padStart(2, '0')}-${target.kind.toLowerCase()}-${target.name}.yaml`;
    const selector = { kind: target.kind, name: target.name };
    if (entry.jsonPatch !== undefined) return { file, target: selector, content: entry.jsonPatch };
    const body = entry.patch ?? {};
    const metadata = typeof body.metadata === 'object' && body.metadata !== null ? body.metadata : {};
    return {
      file,
      target: selector,
      content: {
        apiVersion: target.apiVersion ?? KNOWN_API_VERSIONS[target.kind],
        kind: target.kind,
        ...body,
        metadata: { ...metadata, name: target.name },
      },
    };
  });
}
