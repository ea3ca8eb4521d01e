/**
 * What every container must declare for the cluster to treat it well.
 *
 * Resources: requests for CPU and memory (what the scheduler reserves, and what a ResourceQuota on requests
 * demands of every container, init containers included) and a memory limit (what protects the node). No CPU
 * limit is required: it throttles without protecting anything.
 *
 * Readiness: a container of a long-running workload (Deployment, StatefulSet, DaemonSet, a sidecar) needs a
 * readiness probe, or it receives traffic, and counts as available during a rollout, the moment it starts.
 * Containers that run to completion (Jobs, CronJobs, init containers) need none; an init container that is not
 * a sidecar may not have one at all (the API server rejects it). A workload that serves no traffic says so with the
 * annotation `ignore-check.dynenv.io/readiness-probe: <reason>` (dynenv.yaml: `probes.readiness: false`).
 */
import { finding } from '../finding.ts';
import { IGNORE_CHECK_ANNOTATION_PREFIX } from '../../constructs/labels.ts';
import { asRecord, asStringMap, valueAt } from '../object-access.ts';
import { containersOf, podTemplates, type ContainerRole } from '../pod-templates.ts';
import type { Rule } from '../rule.ts';

/** The quantities every container must set, as paths inside `resources`. */
const REQUIRED_QUANTITIES = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
] as const;

const ROLE_NAMES: Record<ContainerRole, string> = { container: 'container', init: 'init container', sidecar: 'sidecar container' };

export const resourcesRule: Rule = {
  id: 'resources',
  summary: 'every container, init containers included, requests CPU and memory and limits memory',
  check(tree) {
    return tree.scopes.flatMap((scope) =>
      podTemplates(scope.objects).flatMap((template) =>
        containersOf(template).flatMap(({ container, path, role }) => {
          const resources = asRecord(container.resources);
          const missing = REQUIRED_QUANTITIES.filter((quantity) => valueAt(resources, quantity) === undefined).map((quantity) => quantity.join('.'));
          if (missing.length === 0) return [];
          return [
            finding(
              'resources',
              { scope: scope.name, object: template.object, path: [...path, 'resources'] },
              `${ROLE_NAMES[role]} "${String(container.name)}" does not set ${missing.join(', ')}`,
              'set requests.cpu and requests.memory (what the scheduler reserves) and limits.memory (what protects the node); ' +
                'for a dynenv service, set resources: in dynenv.yaml',
            ),
          ];
        }),
      ),
    );
  },
};

export const readinessProbeRule: Rule = {
  id: 'readiness-probe',
  summary: 'every container of a long-running workload has a readiness probe (Jobs and init containers need none)',
  check(tree) {
    return tree.scopes.flatMap((scope) =>
      podTemplates(scope.objects).flatMap((template) =>
        containersOf(template).flatMap(({ container, path, role }) => {
          const at = { scope: scope.name, object: template.object, path: [...path, 'readinessProbe'] };
          const name = String(container.name);
          if (role === 'init' && container.readinessProbe !== undefined) {
            return [
              finding(
                'readiness-probe',
                at,
                `init container "${name}" has a readiness probe, which the API server rejects on an init container that is not a sidecar`,
                'remove the probe, or make the container a sidecar with restartPolicy: Always',
              ),
            ];
          }
          if (role === 'init' || !template.longRunning || container.readinessProbe !== undefined || declaredWithout(template.object)) return [];
          return [
            finding(
              'readiness-probe',
              at,
              `${ROLE_NAMES[role]} "${name}" has no readiness probe: ` + 'it gets traffic, and counts as available in a rollout, as soon as it starts',
              'add a readinessProbe; for a dynenv service, set healthPath (with a port), healthCommand or probes.readiness in dynenv.yaml ' +
                '(probes.readiness: false for one that serves no traffic)',
            ),
          ];
        }),
      ),
    );
  },
};

/** Whether the workload declares, with a reason, that it needs no readiness probe. */
function declaredWithout(object: { readonly metadata?: unknown }): boolean {
  const annotations = asStringMap(asRecord(object.metadata)?.annotations);
  return (annotations[`${IGNORE_CHECK_ANNOTATION_PREFIX}readiness-probe`] ?? '').trim() !== '';
}
