import { celString, pullRequestNameExpression, trackingReads } from '../admission-expressions.ts';
import type { PreviewAdmissionPolicyProps } from './preview-admission-props.ts';
import { type PreviewPolicy, type Validation, WRITES, inPreviewNamespaces } from './preview-policy.ts';
import { readablePattern } from './readable-pattern.ts';

/** What Argo CD's application controller writes into a preview namespace belongs to that namespace's previews. */
function trackingValidations(argocd: PreviewAdmissionPolicyProps['argocd']): Validation[] {
  const own = `Argo CD may write into a preview namespace only objects of the namespace's own preview Applications (${[argocd.applicationNames.workloads, argocd.applicationNames.fence].map(readablePattern).join(', ')})`;
  return trackingReads(argocd.trackingMethod, argocd.instanceLabelKey).map((read) => ({
    expression: `${read.application} in variables.ownApplications`,
    message: own,
    messageExpression: `${celString(`${own}; ${read.introduction}`)} + ${read.shown}`,
    reason: 'Forbidden',
  }));
}

/**
 * `<app>-preview-argocd-tracking`: what Argo CD's application controller writes into a preview namespace must be
 * tracked by that namespace's own Applications (`<app>-pr-<n>` and `<app>-pr-<n>-fence`), so a pull request
 * cannot move its objects into another preview's namespace (which the project's namespace glob admits).
 */
export function argocdTrackingPolicy(props: PreviewAdmissionPolicyProps): PreviewPolicy {
  const { workloads, fence } = props.argocd.applicationNames;
  const ownApplications = `[${[workloads, fence].map((pattern) => pullRequestNameExpression(pattern)).join(', ')}]`;
  return {
    what: 'argocd-tracking',
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: WRITES }] },
      matchConditions: [
        { name: 'argocd-application-controller', expression: `request.userInfo.username == ${celString(props.argocd.controllerUser)}` },
        // Namespace objects are the Namespace policy's; other cluster-scoped objects are no preview's.
        { name: 'namespaced', expression: "request.namespace != ''" },
      ],
      variables: [{ name: 'ownApplications', expression: ownApplications }],
      validations: trackingValidations(props.argocd),
    },
    matchResources: inPreviewNamespaces(props.namespaceLabels),
  };
}
