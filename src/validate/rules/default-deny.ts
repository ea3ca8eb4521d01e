/**
 * Each environment starts from "nothing talks to anything": a default-deny NetworkPolicy (all pods, both
 * directions, no rule), on which narrower policies allow what each service needs. Denying egress also blocks
 * DNS, so an environment that denies egress must allow port 53 somewhere, or every name lookup times out.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { finding } from '../finding.ts';
import { objectsOfKind } from '../kinds.ts';
import { asArray, asRecord, valueAt } from '../object-access.ts';
import { environmentObjects, type RenderedTree, type Scope } from '../render.ts';
import type { Rule } from '../rule.ts';

const DNS_PORT = 53;
const NETWORK_POLICY = { kind: 'NetworkPolicy', metadata: {} };

export const defaultDenyRule: Rule = {
  id: 'default-deny',
  summary: 'each environment has a default-deny NetworkPolicy: podSelector {}, policyTypes Ingress and Egress, no rules',
  check(tree) {
    return tree.scopes
      .filter((scope) => scope.environment && !networkPolicies(tree, scope).some((policy) => whyNotDefaultDeny(policy) === undefined))
      .map((scope) => {
        const nearMisses = networkPolicies(tree, scope)
          .filter(looksMeantToDenyAll)
          .map((policy) => `NetworkPolicy/${policy.metadata.name} ${whyNotDefaultDeny(policy)!}`);
        return finding(
          'default-deny',
          { scope: scope.name, object: NETWORK_POLICY },
          `${scope.name} has no default-deny NetworkPolicy, so its pods accept traffic from, and send it to, anything in the cluster` +
            (nearMisses.length ? ` (${nearMisses.join('; ')})` : ''),
          'add a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no ingress or egress rules, ' +
            'then allow what each service needs (and DNS) in narrower policies',
        );
      });
  },
};

export const dnsEgressRule: Rule = {
  id: 'dns-egress',
  summary: 'an environment that denies egress allows DNS (port 53) in some NetworkPolicy',
  check(tree) {
    return tree.scopes
      .filter((scope) => scope.environment)
      .filter((scope) => networkPolicies(tree, scope).some((policy) => whyNotDefaultDeny(policy) === undefined))
      .filter((scope) => !networkPolicies(tree, scope).some(allowsDnsEgress))
      .map((scope) =>
        finding(
          'dns-egress',
          { scope: scope.name, object: NETWORK_POLICY },
          `${scope.name} denies all egress but no NetworkPolicy allows DNS (port ${DNS_PORT}), so every name lookup from its pods times out`,
          `add a NetworkPolicy that allows egress to kube-dns (namespace kube-system, k8s-app: kube-dns) on UDP and TCP port ${DNS_PORT}`,
        ),
      );
  },
};

/** The NetworkPolicies around the scope's pods: those of its environment, its fence's included. */
function networkPolicies(tree: Pick<RenderedTree, 'scopes'>, scope: Scope): KubernetesObject[] {
  return objectsOfKind(environmentObjects(tree, scope), 'networking.k8s.io', 'NetworkPolicy');
}

function selectsEveryPod(policy: KubernetesObject): boolean {
  const selector = asRecord(valueAt(policy, ['spec', 'podSelector']));
  return selector !== undefined && Object.keys(asRecord(selector.matchLabels) ?? {}).length === 0 && asArray(selector.matchExpressions).length === 0;
}

/** A policy over every pod that allows nothing, or that covers both directions: a default deny gone wrong. */
function looksMeantToDenyAll(policy: KubernetesObject): boolean {
  const types = asArray(valueAt(policy, ['spec', 'policyTypes']));
  const hasRules = ['ingress', 'egress'].some((field) => asArray(valueAt(policy, ['spec', field])).length > 0);
  return selectsEveryPod(policy) && (!hasRules || (types.includes('Ingress') && types.includes('Egress')));
}

/** Why `policy` is not a default deny, or undefined when it is one. */
function whyNotDefaultDeny(policy: KubernetesObject): string | undefined {
  if (!selectsEveryPod(policy)) return 'does not select every pod (podSelector must be {})';
  const types = asArray(valueAt(policy, ['spec', 'policyTypes']));
  const lacking = ['Ingress', 'Egress'].filter((type) => !types.includes(type));
  if (lacking.length) return `has no ${lacking.join(' or ')} in policyTypes`;
  const rules = ['ingress', 'egress'].filter((field) => asArray(valueAt(policy, ['spec', field])).length > 0);
  if (rules.length) return `allows traffic (it has ${rules.join(' and ')} rules)`;
  return undefined;
}

/** True when some egress rule of `policy` lets port 53 out (a rule without ports allows every port). */
function allowsDnsEgress(policy: KubernetesObject): boolean {
  if (!asArray(valueAt(policy, ['spec', 'policyTypes'])).includes('Egress')) return false;
  return asArray(valueAt(policy, ['spec', 'egress'])).some((rule) => {
    const ports = asArray(asRecord(rule)?.ports);
    return (
      ports.length === 0 ||
      ports.some((value) => {
        const port = asRecord(value);
        if (port?.port === undefined) return true;
        if (typeof port.port === 'string') return port.port.startsWith('dns');
        const end = typeof port.endPort === 'number' ? port.endPort : port.port;
        return typeof port.port === 'number' && port.port <= DNS_PORT && DNS_PORT <= (end as number);
      })
    );
  });
}
