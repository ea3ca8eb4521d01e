/**
 * A finding: one thing wrong with the GitOps tree, said where it is (the overlay or `argocd`, the object, the
 * JSON path inside it) and what to do about it.
 */
import { formatPath } from '../config/load.ts';

/** An error fails validation; a warning is reported but does not change the exit code. */
export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  /** The rule that found it, e.g. "unknown-field" or "pinned-images" (the README lists them). */
  readonly rule: string;
  /** The overlay (`dev`, `staging`, `prod`, `preview`, ...) or `argocd`. */
  readonly scope: string;
  /** The object at fault; undefined when the finding is about the scope as a whole (a missing object). */
  readonly kind: string | undefined;
  readonly name: string | undefined;
  /** JSON path inside the object, e.g. `spec.template.spec.containers[0].resources`; "" for the whole object. */
  readonly path: string;
  /** What is wrong, with the value found where that helps. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Where a finding is: a scope, and optionally an object of it and a path inside that object. */
export interface FindingLocation {
  readonly scope: string;
  /** The object at fault (only its kind and name are used); `{ kind, metadata: {} }` names a kind alone. */
  readonly object?: { readonly kind: string; readonly metadata: { readonly name?: string } };
  readonly path?: readonly PropertyKey[];
}

/** Builds a finding; `path` segments are formatted as `spec.containers[0].image`. */
export function finding(rule: string, at: FindingLocation, message: string, fix: string, severity: Severity = 'error'): Finding {
  return {
    severity,
    rule,
    scope: at.scope,
    kind: at.object?.kind,
    name: at.object?.metadata?.name,
    path: formatPath(at.path ?? []),
    message,
    fix,
  };
}
