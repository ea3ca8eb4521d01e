import type { PreviewAdmissionPolicyProps } from './preview-admission-props.ts';
import { type PreviewPolicy, type Validation, WRITES, inPreviewNamespaces } from './preview-policy.ts';

const SERVICE_VALIDATIONS: Validation[] = [
  {
    expression: "!has(object.spec.type) || object.spec.type == 'ClusterIP'",
    messageExpression: "'a preview namespace refuses Services of type ' + object.spec.type + ': only ClusterIP, reached through its Ingress'",
    message: 'a preview namespace refuses Services of type NodePort, LoadBalancer and ExternalName',
    reason: 'Forbidden',
  },
  {
    expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
    message: 'a preview namespace refuses Services with externalIPs',
    reason: 'Forbidden',
  },
];

/** `<app>-preview-services`: a preview's Services are ClusterIP only, with no externalIPs; only its Ingress exposes it. */
export function servicesPolicy(props: PreviewAdmissionPolicyProps): PreviewPolicy {
  return {
    what: 'services',
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'], operations: WRITES }] },
      validations: SERVICE_VALIDATIONS,
    },
    matchResources: inPreviewNamespaces(props.namespaceLabels),
  };
}
