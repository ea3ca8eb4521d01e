import { celString, pullRequestNameExpression, trackingReads } from '../admission-expressions.ts';
import type { PreviewAdmissionPolicyProps } from './preview-admission-props.ts';
import type { Validation, Variable } from './preview-policy.ts';
import { type PodParts, podParts } from './pod-parts.ts';

/**
 * Who creates the fence Job's Pods: Kubernetes' Job controller, as its own ServiceAccount (kube-controller-manager's
 * `--use-service-account-credentials`, the default of kubeadm and of the managed platforms) or as the controller
 * manager itself.
 */
export const JOB_CONTROLLER_USERS: readonly string[] = ['system:serviceaccount:kube-system:job-controller', 'system:kube-controller-manager'];

/**
 * The fence's own pods (the database-credentials Job) run as a ServiceAccount that may write Secrets, and carry the
 * label its NetworkPolicy lets out to the API server. Nobody else may give a pod either: not a pull request (what
 * Argo CD writes with them must be the fence Application's), and not a person or CI with a role in the namespace
 * (the develop and deploy roles may create Pods and Jobs): only the Job controller, creating the fence Job's Pods.
 * An update that keeps what the object already had is admitted (the Job controller's own bookkeeping).
 *
 * Part of the pods policy: its variables read `variables.podSpec`, which that policy defines.
 */
export function fenceIdentityValidations(props: PreviewAdmissionPolicyProps): { variables: Variable[]; validations: Validation[] } {
  const { fenceIdentity, argocd } = props;
  const accounts = `[${fenceIdentity.serviceAccounts.map(celString).join(', ')}]`;
  const identityIn = ({ spec, labels }: PodParts) =>
    [
      `(has(${spec}.serviceAccountName) && ${spec}.serviceAccountName in ${accounts})`,
      `(has(${spec}.serviceAccount) && ${spec}.serviceAccount in ${accounts})`,
      ...Object.entries(fenceIdentity.podLabels).map(
        ([key, value]) => `(${celString(key)} in ${labels} && ${labels}[${celString(key)}] == ${celString(value)})`,
      ),
    ].join(' || ');
  const what =
    `ServiceAccount ${fenceIdentity.serviceAccounts.join(', ')} or the label ` +
    `${Object.entries(fenceIdentity.podLabels)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}`;
  const only = `only a preview's fence may run pods with ${what}: they may write Secrets and reach the API server`;
  const controller = celString(argocd.controllerUser);
  return {
    variables: [
      { name: 'podLabels', expression: podParts('object').labels },
      { name: 'usesFenceIdentity', expression: identityIn({ spec: 'variables.podSpec', labels: 'variables.podLabels' }) },
      // Evaluated only when used (variables are lazy), so only on an update, which has an old object.
      { name: 'oldPodSpec', expression: podParts('oldObject').spec },
      { name: 'oldPodLabels', expression: podParts('oldObject').labels },
      {
        name: 'hadFenceIdentity',
        expression: `request.operation == 'UPDATE' && oldObject != null && (${identityIn({ spec: 'variables.oldPodSpec', labels: 'variables.oldPodLabels' })})`,
      },
    ],
    validations: [
      {
        expression:
          `request.userInfo.username != ${controller} || !variables.usesFenceIdentity || ` +
          trackingReads(argocd.trackingMethod, argocd.instanceLabelKey)
            .map((read) => `${read.application} == ${pullRequestNameExpression(argocd.applicationNames.fence)}`)
            .join(' && '),
        message: only,
        reason: 'Forbidden',
      },
      {
        expression:
          `request.userInfo.username == ${controller} || !variables.usesFenceIdentity || variables.hadFenceIdentity || ` +
          `(object.kind == 'Pod' && request.userInfo.username in [${JOB_CONTROLLER_USERS.map(celString).join(', ')}])`,
        message: `${only}; only Argo CD (for the fence) and the Job controller (for its Pods) may give them`,
        messageExpression: `${celString(`${only}; `)} + request.userInfo.username + ' may not give them'`,
        reason: 'Forbidden',
      },
    ],
  };
}
