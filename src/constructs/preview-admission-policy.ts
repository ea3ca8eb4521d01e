import { Construct } from 'constructs';
import { argocdTrackingPolicy } from './preview-admission/argocd-tracking-policy.ts';
import { clusterObjectsPolicy } from './preview-admission/cluster-objects-policy.ts';
import { ingressesPolicy } from './preview-admission/ingresses-policy.ts';
import { namespacesPolicy } from './preview-admission/namespaces-policy.ts';
import type { PreviewAdmissionPolicyProps } from './preview-admission/preview-admission-props.ts';
import { addPreviewPolicy } from './preview-admission/preview-policy.ts';
import { podsPolicy } from './preview-admission/pods-policy.ts';
import { servicesPolicy } from './preview-admission/services-policy.ts';

export { JOB_CONTROLLER_USERS } from './preview-admission/fence-identity.ts';
export { ALLOWED_CAPABILITY } from './preview-admission/pods-policy.ts';
export type { PreviewAdmissionPolicyProps } from './preview-admission/preview-admission-props.ts';
export { ADMISSION_API_VERSION } from './preview-admission/preview-policy.ts';

/**
 * The in-cluster fence of every preview of an application: ValidatingAdmissionPolicies (and their bindings) that
 * the API server enforces on every write, whoever makes it, so they hold when Argo CD is bypassed (CI's kubectl,
 * a developer's role) and where Argo CD's project check cannot look (a `transformers:` entry of a pull request
 * moving a Deployment into another preview's namespace, which the project's namespace glob admits). One policy per
 * file under preview-admission/:
 *
 * - pods and pod templates: no privileged containers, no host namespaces or host ports, no hostPath volumes, no
 *   capabilities beyond NET_BIND_SERVICE (the namespace's Pod Security label says the same, but only for Pods,
 *   and only while the label stays);
 * - Services: ClusterIP only, no externalIPs; Ingresses: only the pull request's own host;
 * - what Argo CD's application controller writes into a preview namespace must be tracked by that namespace's
 *   own Applications (`<app>-pr-<n>` and `<app>-pr-<n>-fence`), and only the fence's may run pods with the
 *   fence's own identity (the database-credentials ServiceAccount and label), which no role in the namespace may
 *   give a pod either (only the Job controller, to the fence Job's Pods);
 * - what Argo CD writes for a preview's Applications outside any namespace is only the pull request's own
 *   Namespace, from its fence (not Namespace `argocd`, nor anything else cluster-scoped);
 * - a preview Namespace keeps its Pod Security level and the labels the other policies select it by.
 *
 * Namespaced policies bind to the preview namespaces by label; the Namespace policy matches them by name, so a
 * Namespace cannot leave the fence by dropping its labels.
 */
export class PreviewAdmissionPolicy extends Construct {
  constructor(scope: Construct, id: string, props: PreviewAdmissionPolicyProps) {
    super(scope, id);
    addPreviewPolicy(this, props.app, podsPolicy(props));
    addPreviewPolicy(this, props.app, servicesPolicy(props));
    addPreviewPolicy(this, props.app, ingressesPolicy(props));
    addPreviewPolicy(this, props.app, argocdTrackingPolicy(props));
    addPreviewPolicy(this, props.app, clusterObjectsPolicy(props));
    addPreviewPolicy(this, props.app, namespacesPolicy(props));
  }
}
