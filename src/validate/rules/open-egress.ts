/**
 * An egress rule of an environment's NetworkPolicy that names ports but no `to:` admits those ports on every
 * address: the cluster's other nodes, the cloud's metadata server, the internet. dynenv writes one only where it
 * does not know the address: allow-api-server, until `cluster.apiServer.addresses` says where the API server is.
 * A warning, since the ports are still fenced; the fix names the setting.
 */
import { finding, type Finding } from '../finding.ts';
import { objectsOfKind } from '../kinds.ts';
import { asArray, asRecord, valueAt } from '../object-access.ts';
import type { Rule } from '../rule.ts';

/** The NetworkPolicy dynenv writes for the database-credentials Job (src/constructs/database-credentials.ts). */
const API_SERVER_POLICY = 'allow-api-server';

export const openEgressRule: Rule = {
  id: 'open-egress',
  summary: "an environment's NetworkPolicy egress rule names the addresses it lets out to (`to:`), not only ports",
  check(tree) {
    const findings: Finding[] = [];
    for (const scope of tree.scopes.filter((candidate) => candidate.environment)) {
      for (const policy of objectsOfKind(scope.objects, 'networking.k8s.io', 'NetworkPolicy')) {
        asArray(valueAt(policy, ['spec', 'egress'])).forEach((rule, index) => {
          const to = asArray(asRecord(rule)?.to);
          const ports = asArray(asRecord(rule)?.ports);
          // Without ports either, the rule lets everything out: default-deny's business, not this rule's.
          if (to.length > 0 || ports.length === 0) return;
          const shown = ports.map((port) => String(asRecord(port)?.port ?? 'every port')).join(', ');
          findings.push(
            finding(
              'open-egress',
              { scope: scope.name, object: policy, path: ['spec', 'egress', index, 'to'] },
              `lets its pods out on ${shown} to every address`,
              policy.metadata.name === API_SERVER_POLICY
                ? "say where the API server is: cluster.apiServer.addresses in dynenv.yaml (the endpoints of Service 'kubernetes' in 'default')"
                : 'name the addresses in to: (an ipBlock, or the pods of a namespace)',
              'warning',
            ),
          );
        });
      }
    }
    return findings;
  },
};
