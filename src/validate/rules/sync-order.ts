/**
 * The sync simulation: each overlay played as Argo CD's gitops-engine would sync it (src/validate/sync-simulation/),
 * reporting every hook or awaited resource whose pods need something not there yet, what only another Application
 * provides, hook objects deleted under running workloads, and claims the sync waits on before any pod uses them.
 */
import { companionApplications } from '../sync-simulation/companions.ts';
import { syncOrderFinding, SYNC_ORDER_RULE } from '../sync-simulation/sync-findings.ts';
import { playSync } from '../sync-simulation/sync-play.ts';
import type { Rule } from '../rule.ts';

export const syncOrderRule: Rule = {
  id: SYNC_ORDER_RULE,
  summary: 'each overlay, synced as Argo CD orders it, gives every hook and awaited resource what its pods need in time',
  check(tree, context) {
    return tree.scopes
      .filter((scope) => scope.environment)
      .flatMap((scope) => {
        const { problems } = playSync(scope, companionApplications(tree, scope), context.external);
        return (
          problems
            // A ServiceAccount, ConfigMap or Secret that nothing provides is the object-reference rule's finding.
            .filter((problem) => problem.type !== 'missing' || problem.reference.kind === 'PersistentVolumeClaim')
            .map((problem) => syncOrderFinding(problem, scope.name))
        );
      });
  },
};
