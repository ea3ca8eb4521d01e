import type { TrackingMethod } from '../../config/argocd-schema.ts';
import type { PodSecurityLevel } from '../../config/guardrails-schema.ts';

/** What every preview admission policy is built from; all of it is required (the Argo CD chart resolves the defaults). */
export interface PreviewAdmissionPolicyProps {
  /** Application name: the policies are "<app>-preview-<what>". */
  readonly app: string;
  /** Labels every preview Namespace of the app carries, which the bindings select on. */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  /** What every preview namespace's name starts with, e.g. "checkout-pr-". */
  readonly namespaceStem: string;
  /** The Pod Security Standard preview namespaces enforce. */
  readonly podSecurity: PodSecurityLevel;
  /** The preview host pattern; undefined: a preview has no Ingress at all. */
  readonly hostPattern: string | undefined;
  /** What Argo CD's application controller writes, and who it is. */
  readonly argocd: {
    /** `system:serviceaccount:<namespace>:<name>` of the application controller. */
    readonly controllerUser: string;
    /** How Argo CD marks an object with its Application (`argocd.resourceTrackingMethod`). */
    readonly trackingMethod: TrackingMethod;
    /** The label that label tracking writes (`argocd.instanceLabelKey`). */
    readonly instanceLabelKey: string;
    /** The names of a pull request's Applications, patterns over `{{number}}`. */
    readonly applicationNames: { readonly workloads: string; readonly fence: string };
  };
  /** What only the fence's own pods may run as or carry (the database-credentials Job's). */
  readonly fenceIdentity: { readonly serviceAccounts: readonly string[]; readonly podLabels: Readonly<Record<string, string>> };
}
