import type { IValidatingAdmissionPolicyBindingSpec } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBindingSpec';
import type { IValidatingAdmissionPolicySpec } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicySpec';
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { appLabels } from '../labels.ts';

/** The API group and version of ValidatingAdmissionPolicy, GA since Kubernetes 1.30. */
export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';

export type PolicySpec = IValidatingAdmissionPolicySpec;
export type Validation = NonNullable<PolicySpec['validations']>[number];
export type Variable = NonNullable<PolicySpec['variables']>[number];
export type ResourceRule = NonNullable<NonNullable<PolicySpec['matchConstraints']>['resourceRules']>[number];
type MatchResources = NonNullable<IValidatingAdmissionPolicyBindingSpec['matchResources']>;

/** The operations every preview policy checks: a delete writes nothing that could break the fence. */
export const WRITES: ResourceRule['operations'] = ['CREATE', 'UPDATE'];

/** One of the preview admission policies, before it becomes a ValidatingAdmissionPolicy and its binding. */
export interface PreviewPolicy {
  /** What it guards: the policy and its binding are named "<app>-preview-<what>". */
  readonly what: string;
  /** The policy's spec; `failurePolicy` is always Fail and is added here. */
  readonly spec: PolicySpec;
  /** Which objects the binding applies the policy to. @default every object the policy's own constraints match */
  readonly matchResources?: MatchResources;
}

/**
 * The binding's scope for a namespaced policy: the preview namespaces, by the labels each carries (the namespaces
 * policy keeps them there).
 */
export function inPreviewNamespaces(namespaceLabels: Readonly<Record<string, string>>): MatchResources {
  return { namespaceSelector: { matchLabels: { ...namespaceLabels } } };
}

/** Adds `policy` to `scope` as a ValidatingAdmissionPolicy that fails closed and a binding that denies what it refuses. */
export function addPreviewPolicy(scope: Construct, app: string, policy: PreviewPolicy): void {
  const { what, spec, matchResources } = policy;
  const name = `${app}-preview-${what}`;
  const metadata = { name, labels: appLabels(app) };
  new ApiObject(scope, `${what}-policy`, {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata,
    spec: { failurePolicy: 'Fail', ...spec } satisfies PolicySpec,
  });
  new ApiObject(scope, `${what}-binding`, {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata,
    spec: {
      policyName: name,
      validationActions: ['Deny'],
      ...(matchResources && Object.keys(matchResources).length > 0 && { matchResources }),
    } satisfies IValidatingAdmissionPolicyBindingSpec,
  });
}
