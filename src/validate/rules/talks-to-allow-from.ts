/**
 * A `talksTo` whose callee declares no `allowFrom` holds on one side only: the caller's pods may reach just the
 * services it names, but the callee still admits every pod of the namespace, so the contract says less than it
 * seems to. Not wrong (the call works), so a warning, naming the caller, the callee and the `allowFrom` that closes
 * it. Contracts are dynenv.yaml's (RuleContext.contracts): without it there is nothing to check.
 */
import { finding, type Finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import { environmentObjects } from '../render.ts';
import type { Rule } from '../rule.ts';

export const talksToAllowFromRule: Rule = {
  id: 'talks-to-allow-from',
  summary: 'a service a talksTo names declares allowFrom, so the call is fenced at both ends',
  check(tree, context) {
    const findings: Finding[] = [];
    for (const scope of tree.scopes) {
      const contracts = context.contracts?.get(scope.name);
      if (!scope.environment || contracts === undefined) continue;
      const fenced = new Set(contracts.filter((contract) => contract.callers !== undefined).map((contract) => contract.service));
      const callersOf = (callee: string) =>
        contracts.filter((contract) => contract.callees?.some((peer) => peer.service === callee)).map((contract) => contract.service);
      const objects = environmentObjects(tree, scope);
      for (const contract of contracts) {
        const policy = objects.find(
          (object) => isKind(object, 'networking.k8s.io', 'NetworkPolicy') && object.metadata.name === `allow-${contract.service}-calls`,
        );
        (contract.callees ?? []).forEach((callee, index) => {
          if (fenced.has(callee.service)) return;
          findings.push(
            finding(
              'talks-to-allow-from',
              { scope: scope.name, ...(policy && { object: policy, path: ['spec', 'egress', index] }) },
              `${contract.service} declares talksTo ${callee.service}, but ${callee.service} declares no allowFrom: it admits every pod of the namespace, so the contract holds on ${contract.service}'s side only`,
              `in dynenv.yaml, add allowFrom: [${callersOf(callee.service).join(', ')}] to service ${callee.service} (with any other service that calls it)`,
              'warning',
            ),
          );
        });
      }
    }
    return findings;
  },
};
