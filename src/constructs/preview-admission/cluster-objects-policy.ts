import { celString, pullRequestNameExpression, pullRequestNameRegex, regexLiteral, trackingReads } from '../admission-expressions.ts';
import type { PreviewAdmissionPolicyProps } from './preview-admission-props.ts';
import { type PreviewPolicy, type Validation, WRITES } from './preview-policy.ts';
import { readablePattern } from './readable-pattern.ts';

/**
 * A pull request's Applications create no cluster-scoped object but the pull request's own Namespace, from its
 * fence. Argo CD's project check says the same (and is the first to refuse); this holds where the project is
 * edited or bypassed, e.g. a transformer that turns an object into Namespace `argocd`, which the Application's
 * resources finalizer would later delete.
 */
function clusterObjectValidations(props: PreviewAdmissionPolicyProps): Validation[] {
  const { argocd, namespaceStem } = props;
  const { workloads, fence } = argocd.applicationNames;
  const previewApplication = (application: string) =>
    `(${application}.matches(${celString(pullRequestNameRegex(workloads))}) || ${application}.matches(${celString(pullRequestNameRegex(fence))}))`;
  const ownNamespace = `object.metadata.name.matches(${celString(`^${regexLiteral(namespaceStem)}[0-9]+$`)})`;
  const fenceOfNamespace = pullRequestNameExpression(fence, `object.metadata.name.substring(${namespaceStem.length})`);
  const only = `a preview's Applications create no cluster-scoped object but the pull request's own Namespace, from its fence (${readablePattern(fence)})`;
  return trackingReads(argocd.trackingMethod, argocd.instanceLabelKey).map((read) => ({
    expression:
      `!${previewApplication(read.application)} || ` + `(object.kind == 'Namespace' && ${ownNamespace} && ${read.application} == ${fenceOfNamespace})`,
    message: only,
    messageExpression: `${celString(`${only}; `)} + object.kind + ' ' + object.metadata.name + ${celString(` is ${read.introduction.replace(/^this one is /, '')}`)} + ${read.shown}`,
    reason: 'Forbidden',
  }));
}

/**
 * `<app>-preview-cluster-objects`: what Argo CD writes for a preview's Applications outside any namespace is only
 * the pull request's own Namespace, from its fence (not Namespace `argocd`, nor anything else cluster-scoped).
 * Bound everywhere: cluster-scoped objects have no namespace to select.
 */
export function clusterObjectsPolicy(props: PreviewAdmissionPolicyProps): PreviewPolicy {
  return {
    what: 'cluster-objects',
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: WRITES, scope: 'Cluster' }] },
      matchConditions: [
        { name: 'argocd-application-controller', expression: `request.userInfo.username == ${celString(props.argocd.controllerUser)}` },
        { name: 'cluster-scoped', expression: "request.namespace == ''" },
      ],
      validations: clusterObjectValidations(props),
    },
  };
}
