/**
 * Fields of live objects that someone other than Argo CD owns: a developer who scales a Deployment, an autoscaler.
 * Listed in an Application's `ignoreDifferences`, they are neither reported out of sync nor reverted by
 * self-heal; with the sync option `RespectIgnoreDifferences=true`, a sync leaves them as they are live too
 * (without it, every sync would reset them to Git's value). Issue 15.
 */
import { SYNC_OPTIONS } from './argocd-object.ts';

/** A field Argo CD must neither compare nor sync, because someone or something else owns it. */
export interface IgnoredDifference {
  readonly group: string;
  readonly kind: string;
  /** @default every object of the kind */
  readonly name?: string;
  readonly jsonPointers: readonly string[];
}

/** `spec.ignoreDifferences` of an Application. */
export function ignoreDifferencesField(ignored: readonly IgnoredDifference[]) {
  return ignored.map((entry) => ({
    group: entry.group,
    kind: entry.kind,
    ...(entry.name !== undefined && { name: entry.name }),
    jsonPointers: [...entry.jsonPointers],
  }));
}

/** Sync options of an Application that ignores `ignored`: syncs then leave those fields as they are live. */
export function syncOptionsIgnoring(ignored: readonly IgnoredDifference[]): string[] {
  return [...SYNC_OPTIONS, ...(ignored.length > 0 ? ['RespectIgnoreDifferences=true'] : [])];
}
