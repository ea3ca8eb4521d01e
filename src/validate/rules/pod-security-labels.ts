/**
 * The Namespace of each environment enforces the Pod Security level dynenv.yaml gives it
 * (`environments.<env>.podSecurity`, default "restricted"): the label is what makes the API server refuse a
 * privileged pod even when Argo CD is bypassed, so a Namespace whose label is missing or weaker than configured
 * has lost its fence. Without a dynenv.yaml, the least a Namespace must enforce is "baseline" (which refuses
 * privileged containers, host namespaces and hostPath).
 */
import { podSecuritySchema, type PodSecurityLevel } from '../../config/guardrails-schema.ts';
import { admits } from '../../config/pod-security-level.ts';
import { finding, type Finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import { asStringMap } from '../object-access.ts';
import { FENCE_OVERLAY_SUFFIX } from '../render.ts';
import type { Rule, RuleContext } from '../rule.ts';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** What a tree validated without dynenv.yaml must enforce at least. */
export const MINIMUM_POD_SECURITY: PodSecurityLevel = 'baseline';

/** The environment an overlay scope belongs to: `preview-fence` holds the preview's Namespace. */
function environmentOf(scopeName: string): string {
  return scopeName.endsWith(FENCE_OVERLAY_SUFFIX) ? scopeName.slice(0, -FENCE_OVERLAY_SUFFIX.length) : scopeName;
}

export const podSecurityLabelsRule: Rule = {
  id: 'pod-security-level',
  summary: 'every Namespace of an environment enforces its configured Pod Security level, or a stricter one',
  check(tree, context: RuleContext) {
    const findings: Finding[] = [];
    for (const scope of tree.scopes.filter((candidate) => candidate.environment)) {
      const environment = environmentOf(scope.name);
      const configured = context.podSecurity?.[environment];
      const expected = configured ?? MINIMUM_POD_SECURITY;
      const said = configured !== undefined ? `environments.${environment}.podSecurity is "${configured}"` : `at least "${MINIMUM_POD_SECURITY}" is required`;
      for (const namespace of scope.objects.filter((object) => isKind(object, '', 'Namespace'))) {
        const level = asStringMap(namespace.metadata?.labels)[ENFORCE_LABEL];
        const at = { scope: scope.name, object: namespace, path: ['metadata', 'labels', ENFORCE_LABEL] };
        const fix = `label the Namespace ${ENFORCE_LABEL}: ${expected} (dynenv synth writes it from environments.${environment}.podSecurity)`;
        if (level === undefined) {
          findings.push(finding('pod-security-level', at, `enforces no Pod Security level, so it admits privileged pods (${said})`, fix));
        } else if (!podSecuritySchema.safeParse(level).success) {
          findings.push(finding('pod-security-level', at, `enforces ${JSON.stringify(level)}, which is not a Pod Security level (${said})`, fix));
        } else if (!admits(expected, level as PodSecurityLevel)) {
          // The label admits more than the configured level does.
          findings.push(finding('pod-security-level', at, `enforces "${level}", weaker than "${expected}" (${said})`, fix));
        }
      }
    }
    return findings;
  },
};
