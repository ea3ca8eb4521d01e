/**
 * A plain Job (no hook annotation) runs once: Argo CD creates it and, as long as it exists, applies it again on
 * every sync. Kubernetes refuses any change to a Job's pod template, so the Application deploying it must leave its
 * spec alone (ignoreDifferences on Jobs' `/spec`, with RespectIgnoreDifferences=true); otherwise the first sync after
 * its image changes (every commit of a preview) fails with "field is immutable".
 */
import { RUN_ONCE_JOBS } from '../../constructs/argocd-sync.ts';
import { finding, type Finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import { valueAt } from '../object-access.ts';
import type { Rule } from '../rule.ts';
import { deployersOf, leavesJobSpecAlone } from '../sync-simulation/deployers.ts';
import { isHook } from '../sync-simulation/sync-annotations.ts';

export const runOnceJobsRule: Rule = {
  id: 'run-once-job',
  summary: 'the Application deploying a plain Job ignores its spec (RespectIgnoreDifferences), so a new image does not fail the sync',
  check(tree) {
    const findings: Finding[] = [];
    for (const scope of tree.scopes.filter((candidate) => candidate.environment)) {
      const jobs = scope.objects.filter((object) => isKind(object, 'batch', 'Job') && !isHook(object));
      if (jobs.length === 0) continue;
      for (const job of jobs.filter((candidate) => valueAt(candidate, ['spec', 'ttlSecondsAfterFinished']) !== undefined)) {
        findings.push(
          finding(
            'run-once-job',
            { scope: scope.name, object: job, path: ['spec', 'ttlSecondsAfterFinished'] },
            'Kubernetes deletes this plain Job once it has finished, and Argo CD then finds it missing and creates it again (self-heal, or the next sync): it runs again and again',
            'remove ttlSecondsAfterFinished: a plain Job runs once only as long as it exists (delete it by hand to run it again)',
            'warning',
          ),
        );
      }
      for (const deployer of deployersOf(tree, scope)) {
        for (const job of jobs.filter((candidate) => !leavesJobSpecAlone(deployer, candidate.metadata.name))) {
          findings.push(
            finding(
              'run-once-job',
              { scope: scope.name, object: job },
              `${deployer.object.kind} ${deployer.object.metadata.name} deploys this plain Job and would apply it again on every sync, but Kubernetes refuses ` +
                'changes to a Job\'s pod template: the first sync after its image (or anything else in its template) changes fails with "field is immutable"',
              `in ${deployer.object.kind} ${deployer.object.metadata.name}, ignore Jobs' spec (ignoreDifferences: [{group: batch, kind: Job, jsonPointers: [/spec]}]) ` +
                `with the sync option ${RUN_ONCE_JOBS.syncOption}, so that the Job runs once; or make it a hook, which runs on every sync`,
            ),
          );
        }
      }
    }
    return findings;
  },
};
