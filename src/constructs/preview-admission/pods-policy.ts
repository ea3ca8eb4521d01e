import { celString } from '../admission-expressions.ts';
import { fenceIdentityValidations } from './fence-identity.ts';
import { podParts } from './pod-parts.ts';
import type { PreviewAdmissionPolicyProps } from './preview-admission-props.ts';
import { type PreviewPolicy, type ResourceRule, type Validation, type Variable, WRITES, inPreviewNamespaces } from './preview-policy.ts';

/** The only capability a preview container may add: binding a port below 1024. */
export const ALLOWED_CAPABILITY = 'NET_BIND_SERVICE';

/** Every kind that holds a pod or a pod template, so a pod is refused both as a template and as a Pod. */
const POD_RESOURCES: ResourceRule[] = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'], operations: WRITES },
  { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], operations: WRITES },
  { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'], operations: WRITES },
];

const POD_VARIABLES: Variable[] = [
  { name: 'podSpec', expression: podParts('object').spec },
  {
    name: 'containers',
    expression:
      'variables.podSpec.containers' +
      ' + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : [])' +
      ' + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])',
  },
];

const PRIVILEGED = 'has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged';
const ADDS_CAPABILITIES =
  `has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.add)` +
  ` && c.securityContext.capabilities.add.exists(capability, capability != ${celString(ALLOWED_CAPABILITY)})`;
const HOST_PORT = 'has(c.ports) && c.ports.exists(p, has(p.hostPort) && p.hostPort != 0)';

/** A validation whose message names the containers that break it. */
function perContainer(breaks: string, what: string): Validation {
  return {
    expression: `!variables.containers.exists(c, ${breaks})`,
    message: `a preview namespace refuses ${what}`,
    messageExpression: `${celString(`a preview namespace refuses ${what}: `)} + variables.containers.filter(c, ${breaks}).map(c, c.name).join(', ')`,
    reason: 'Forbidden',
  };
}

const POD_VALIDATIONS: Validation[] = [
  perContainer(PRIVILEGED, 'privileged containers'),
  perContainer(ADDS_CAPABILITIES, `capabilities other than ${ALLOWED_CAPABILITY}`),
  perContainer(HOST_PORT, 'host ports'),
  ...(['hostPID', 'hostIPC', 'hostNetwork'] as const).map((field) => ({
    expression: `!has(variables.podSpec.${field}) || !variables.podSpec.${field}`,
    message: `a preview namespace refuses ${field}: a pod there must not share the node's namespaces`,
    reason: 'Forbidden' as const,
  })),
  {
    expression: '!has(variables.podSpec.volumes) || !variables.podSpec.volumes.exists(v, has(v.hostPath))',
    message: 'a preview namespace refuses hostPath volumes',
    messageExpression: `'a preview namespace refuses hostPath volumes: ' + variables.podSpec.volumes.filter(v, has(v.hostPath)).map(v, v.name).join(', ')`,
    reason: 'Forbidden',
  },
];

/**
 * `<app>-preview-pods`, on pods and pod templates in the preview namespaces: no privileged containers, no host
 * namespaces or host ports, no hostPath volumes, no capabilities beyond NET_BIND_SERVICE (the namespace's Pod
 * Security label says the same, but only for Pods, and only while the label stays); and only the fence's pods run
 * with the fence's own identity (fence-identity.ts).
 */
export function podsPolicy(props: PreviewAdmissionPolicyProps): PreviewPolicy {
  const fenceIdentity = fenceIdentityValidations(props);
  return {
    what: 'pods',
    spec: {
      matchConstraints: { resourceRules: POD_RESOURCES },
      variables: [...POD_VARIABLES, ...fenceIdentity.variables],
      validations: [...POD_VALIDATIONS, ...fenceIdentity.validations],
    },
    matchResources: inPreviewNamespaces(props.namespaceLabels),
  };
}
