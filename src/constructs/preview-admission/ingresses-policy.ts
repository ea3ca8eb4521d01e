import { celString, hostRegexExpression } from '../admission-expressions.ts';
import type { PreviewAdmissionPolicyProps } from './preview-admission-props.ts';
import { type PreviewPolicy, type Validation, WRITES, inPreviewNamespaces } from './preview-policy.ts';
import { readablePattern } from './readable-pattern.ts';

function ingressValidations(hostPattern: string | undefined): Validation[] {
  if (hostPattern === undefined) {
    return [{ expression: 'false', message: 'a preview of this application has no Ingress: its services are not exposed', reason: 'Forbidden' }];
  }
  const outside = `a preview namespace's Ingress answers only on its own host (${readablePattern(hostPattern)})`;
  return [
    {
      expression: '!has(object.spec.defaultBackend)',
      message: `${outside}: a default backend would answer for every host`,
      reason: 'Forbidden',
    },
    {
      expression: 'has(object.spec.rules) && object.spec.rules.all(rule, has(rule.host) && rule.host.matches(variables.hostRegex))',
      message: outside,
      messageExpression: `${celString(`${outside}, not `)} + (has(object.spec.rules) ? object.spec.rules.map(rule, has(rule.host) ? rule.host : '(every host)').join(', ') : '(every host)')`,
      reason: 'Forbidden',
    },
    {
      expression: '!has(object.spec.tls) || object.spec.tls.all(tls, !has(tls.hosts) || tls.hosts.all(host, host.matches(variables.hostRegex)))',
      message: `${outside}, in its TLS section too`,
      reason: 'Forbidden',
    },
  ];
}

/**
 * `<app>-preview-ingresses`: a preview's Ingresses answer only on the pull request's own host (rules, TLS, and no
 * default backend); where previews have no host, a preview has no Ingress at all.
 */
export function ingressesPolicy(props: PreviewAdmissionPolicyProps): PreviewPolicy {
  return {
    what: 'ingresses',
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], resources: ['ingresses'], operations: WRITES }] },
      ...(props.hostPattern !== undefined && { variables: [{ name: 'hostRegex', expression: hostRegexExpression(props.hostPattern) }] }),
      validations: ingressValidations(props.hostPattern),
    },
    matchResources: inPreviewNamespaces(props.namespaceLabels),
  };
}
