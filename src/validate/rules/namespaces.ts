/**
 * An overlay is one environment: every namespaced object it renders belongs in that environment's namespace.
 * An object with another namespace would land in (or fight over) someone else's environment; one with none
 * lands wherever the Argo CD Application points. Cluster-scoped kinds must not set a namespace at all.
 */
import { finding, type Finding } from '../finding.ts';
import { apiGroup } from '../kinds.ts';
import type { Scope } from '../render.ts';
import { type Rule, scopeByScope } from '../rule.ts';
import { lookUpSchema } from '../schema-catalog.ts';

/**
 * The cluster-scoped kinds of Kubernetes' own API groups (`kubectl api-resources --namespaced=false`). The
 * OpenAPI schemas do not say which kinds are namespaced, so the list is kept here, as Kustomize keeps its own.
 */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'authentication.k8s.io/TokenReview',
  'authentication.k8s.io/SelfSubjectReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'authorization.k8s.io/SubjectAccessReview',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'policy/PodSecurityPolicy',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
]);

/** True when objects of `kind` in `apiVersion` are cluster-scoped (Kubernetes' own kinds; custom resources are not known here). */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(`${apiGroup(apiVersion)}/${kind}`);
}

export const namespacesRule: Rule = {
  id: 'namespace',
  summary: "every namespaced object of an overlay is in the overlay's namespace",
  check: scopeByScope(checkScope),
};

async function checkScope(scope: Scope): Promise<Finding[]> {
  if (scope.namespace === undefined && scope.environment) {
    return [
      finding(
        'namespace',
        { scope: scope.name },
        `${scope.directory} sets no namespace: its objects land wherever the Argo CD Application points`,
        `set namespace: in ${scope.directory}/kustomization.yaml (dynenv synth writes the environment's namespace there)`,
      ),
    ];
  }
  const findings: Finding[] = [];
  for (const object of scope.objects) {
    const namespace = object.metadata?.namespace;
    const at = { scope: scope.name, object, path: ['metadata', 'namespace'] };
    if (isClusterScoped(String(object.apiVersion), object.kind)) {
      if (namespace !== undefined) {
        findings.push(finding('namespace', at, `${object.kind} is cluster-scoped but sets namespace "${namespace}"`, 'remove metadata.namespace'));
      }
    } else if (namespace === undefined) {
      // A custom resource without a schema here may be cluster-scoped: only a namespace it does set is checked.
      if ((await lookUpSchema(String(object.apiVersion), String(object.kind))).status === 'no-schema') continue;
      findings.push(
        finding(
          'namespace',
          at,
          scope.namespace === undefined ? 'sets no namespace' : `sets no namespace: it belongs in "${scope.namespace}"`,
          scope.namespace === undefined
            ? `set metadata.namespace, or namespace: in ${scope.directory}/kustomization.yaml`
            : `set metadata.namespace to "${scope.namespace}"`,
        ),
      );
    } else if (scope.namespace !== undefined && namespace !== scope.namespace) {
      findings.push(
        finding(
          'namespace',
          at,
          `is in namespace "${namespace}", not in ${scope.name}'s namespace "${scope.namespace}"`,
          `set metadata.namespace to "${scope.namespace}"`,
        ),
      );
    }
  }
  return findings;
}
