/**
 * What a pod may not ask of its node. A privileged container, the node's process, network or IPC namespace, a
 * directory of the node (hostPath), or a capability beyond binding a low port: each hands the pod the node, and
 * through it every other pod there. Pod Security Admission refuses them in a namespace labelled `baseline` or
 * stricter; `validate` says so before anything reaches the cluster, in every scope of the tree.
 */
import { finding, type Finding } from '../finding.ts';
import { asArray, asRecord, valueAt } from '../object-access.ts';
import { containersOf, podTemplates, type PodTemplate } from '../pod-templates.ts';
import type { Rule, RuleContext } from '../rule.ts';
import type { Scope } from '../render.ts';

/** The one capability a container may add: it lets a non-root process listen on a port below 1024. */
export const ALLOWED_ADDED_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];

/**
 * Environments whose pods dynenv.yaml lets run privileged (`environments.<env>.podSecurity: privileged`, e.g. an
 * imported Elasticsearch's sysctl init container): there these findings are warnings, the choice being the
 * configuration's. Never for previews: their admission policies refuse these settings whatever the level.
 */
const NOT_RELAXED: ReadonlySet<string> = new Set(['preview', 'preview-fence']);

/** Each pod template of each scope, with a function that makes a finding about it; relaxed where configured. */
function eachPod(tree: { scopes: readonly Scope[] }, context: RuleContext, check: (template: PodTemplate, scope: Scope) => Finding[]): Finding[] {
  return tree.scopes.flatMap((scope) => {
    const findings = podTemplates(scope.objects).flatMap((template) => check(template, scope));
    if (NOT_RELAXED.has(scope.name) || context.podSecurity?.[scope.name] !== 'privileged') return findings;
    return findings.map((item) => ({
      ...item,
      severity: 'warning' as const,
      message: `${item.message} (admitted: environments.${scope.name}.podSecurity is "privileged")`,
    }));
  });
}

export const privilegedRule: Rule = {
  id: 'privileged',
  summary: 'no container is privileged',
  check(tree, context) {
    return eachPod(tree, context, (template, scope) =>
      containersOf(template)
        .filter(({ container }) => valueAt(container, ['securityContext', 'privileged']) === true)
        .map(({ container, path }) =>
          finding(
            'privileged',
            { scope: scope.name, object: template.object, path: [...path, 'securityContext', 'privileged'] },
            `container "${String(container.name)}" is privileged: it can do anything the node can`,
            'remove securityContext.privileged; grant the one capability the process needs instead (only NET_BIND_SERVICE is accepted)',
          ),
        ),
    );
  },
};

const HOST_NAMESPACES = [
  ['hostPID', "the node's processes"],
  ['hostIPC', "the node's shared memory"],
  ['hostNetwork', "the node's network interfaces"],
] as const;

export const hostNamespacesRule: Rule = {
  id: 'host-namespaces',
  summary: "no pod shares the node's process, IPC or network namespace",
  check(tree, context) {
    return eachPod(tree, context, (template, scope) =>
      HOST_NAMESPACES.filter(([field]) => template.spec[field] === true).map(([field, what]) =>
        finding(
          'host-namespaces',
          { scope: scope.name, object: template.object, path: [...template.specPath, field] },
          `${field}: true shares ${what} with the pod`,
          `remove ${field}`,
        ),
      ),
    );
  },
};

export const hostPathRule: Rule = {
  id: 'host-path',
  summary: 'no pod mounts a directory of the node (hostPath)',
  check(tree, context) {
    return eachPod(tree, context, (template, scope) =>
      asArray(template.spec.volumes).flatMap((volume, index) => {
        const hostPath = asRecord(asRecord(volume)?.hostPath);
        if (!hostPath) return [];
        return [
          finding(
            'host-path',
            { scope: scope.name, object: template.object, path: [...template.specPath, 'volumes', index, 'hostPath'] },
            `volume "${String(asRecord(volume)?.name)}" mounts the node's ${JSON.stringify(hostPath.path ?? '')}`,
            'use an emptyDir, a ConfigMap or Secret volume, or a PersistentVolumeClaim',
          ),
        ];
      }),
    );
  },
};

export const capabilitiesRule: Rule = {
  id: 'capabilities',
  summary: `no container adds a capability other than ${ALLOWED_ADDED_CAPABILITIES.join(', ')}`,
  check(tree, context) {
    return eachPod(tree, context, (template, scope) =>
      containersOf(template).flatMap(({ container, path }) => {
        const added = asArray(valueAt(container, ['securityContext', 'capabilities', 'add'])).map(String);
        // Kubernetes accepts both spellings ("NET_ADMIN", "CAP_NET_ADMIN"); so must the check.
        const refused = added.filter((capability) => !ALLOWED_ADDED_CAPABILITIES.includes(capability.toUpperCase().replace(/^CAP_/, '')));
        if (refused.length === 0) return [];
        return [
          finding(
            'capabilities',
            { scope: scope.name, object: template.object, path: [...path, 'securityContext', 'capabilities', 'add'] },
            `container "${String(container.name)}" adds ${refused.join(', ')}`,
            `add no capability but ${ALLOWED_ADDED_CAPABILITIES.join(', ')} (Pod Security "restricted" allows only that one)`,
          ),
        ];
      }),
    );
  },
};
