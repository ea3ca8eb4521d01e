import { celString, regexLiteral } from '../admission-expressions.ts';
import type { PreviewAdmissionPolicyProps } from './preview-admission-props.ts';
import { type PreviewPolicy, type Validation, WRITES } from './preview-policy.ts';

function namespaceValidations(props: PreviewAdmissionPolicyProps): Validation[] {
  const label = (key: string) => `object.metadata.labels[${celString(key)}]`;
  const has = (key: string) => `has(object.metadata.labels) && ${celString(key)} in object.metadata.labels`;
  const enforce = 'pod-security.kubernetes.io/enforce';
  const version = 'pod-security.kubernetes.io/enforce-version';
  return [
    {
      expression: `${has(enforce)} && ${label(enforce)} == ${celString(props.podSecurity)}`,
      message: `a preview namespace enforces the "${props.podSecurity}" Pod Security Standard (label ${enforce}), which a pull request cannot change`,
      reason: 'Forbidden',
    },
    {
      expression: `!(${has(version)}) || ${label(version)} == 'latest'`,
      message: `a preview namespace enforces the latest version of its Pod Security Standard (label ${version})`,
      reason: 'Forbidden',
    },
    ...Object.entries(props.namespaceLabels).map(([key, value]) => ({
      expression: `${has(key)} && ${label(key)} == ${celString(value)}`,
      message: `a preview namespace keeps the label ${key}=${value}, which its admission policies select it by`,
      reason: 'Forbidden' as const,
    })),
  ];
}

/**
 * `<app>-preview-namespaces`: a preview Namespace keeps its Pod Security level and the labels the other policies
 * select it by. It matches the Namespaces by name, not by label, so a Namespace cannot leave the fence by dropping
 * its labels.
 */
export function namespacesPolicy(props: PreviewAdmissionPolicyProps): PreviewPolicy {
  return {
    what: 'namespaces',
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'], operations: WRITES }] },
      matchConditions: [
        { name: 'preview-namespace', expression: `object.metadata.name.matches(${celString(`^${regexLiteral(props.namespaceStem)}[0-9]+$`)})` },
      ],
      validations: namespaceValidations(props),
    },
  };
}
