/** Identifying objects by API group and kind, whatever the version (`apps/v1` and `apps/v1beta2` are one group). */
import type { KubernetesObject } from '../gitops/kustomize-build.ts';

/** The API group of an apiVersion: `apps/v1` → "apps", `v1` → "" (the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** True when `object` is of `kind` in API group `group` ("" for the core group). */
export function isKind(object: KubernetesObject, group: string, kind: string): boolean {
  return object.kind === kind && apiGroup(String(object.apiVersion)) === group;
}

/** The objects of one group and kind. */
export function objectsOfKind(objects: readonly KubernetesObject[], group: string, kind: string): KubernetesObject[] {
  return objects.filter((object) => isKind(object, group, kind));
}
