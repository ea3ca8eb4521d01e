/**
 * A Service whose selector matches no pod has no endpoints: every request to it fails, and nothing in Argo CD
 * turns red. Each Service selector must match the pod template of a workload in the same overlay, and each port
 * it targets by name must be a named port of those pods.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { finding, type Finding } from '../finding.ts';
import { objectsOfKind } from '../kinds.ts';
import { asArray, asRecord, asStringMap } from '../object-access.ts';
import { containersOf, podTemplates, type PodTemplate } from '../pod-templates.ts';
import type { Scope } from '../render.ts';
import type { Rule } from '../rule.ts';

export const serviceSelectorsRule: Rule = {
  id: 'service-selector',
  summary: 'every Service selects the pods of a workload in the same overlay, and the ports it names exist',
  check(tree) {
    return tree.scopes.flatMap((scope) => {
      const templates = podTemplates(scope.objects);
      return objectsOfKind(scope.objects, '', 'Service').flatMap((service) => checkService(service, templates, scope));
    });
  },
};

function checkService(service: KubernetesObject, templates: readonly PodTemplate[], scope: Scope): Finding[] {
  const spec = asRecord(service.spec);
  const selector = asStringMap(spec?.selector);
  // Without a selector the endpoints are managed by hand (or by an ExternalName): nothing to match.
  if (spec?.type === 'ExternalName' || Object.keys(selector).length === 0) return [];
  const selected = templates.filter((template) => Object.entries(selector).every(([key, value]) => template.labels[key] === value));
  if (selected.length === 0) {
    return [
      finding(
        'service-selector',
        { scope: scope.name, object: service, path: ['spec', 'selector'] },
        `selects no pods: no workload in ${scope.name} has pods labelled ${formatLabels(selector)}`,
        selectorFix(selector, templates),
      ),
    ];
  }
  const findings: Finding[] = [];
  const portNames = new Set(
    selected.flatMap((template) => containersOf(template).flatMap(({ container }) => asArray(container.ports).map((port) => asRecord(port)?.name))),
  );
  asArray(spec?.ports).forEach((value, index) => {
    const targetPort = asRecord(value)?.targetPort;
    if (typeof targetPort !== 'string' || portNames.has(targetPort)) return;
    findings.push(
      finding(
        'service-selector',
        { scope: scope.name, object: service, path: ['spec', 'ports', index, 'targetPort'] },
        `targets port "${targetPort}" by name, but no container of the pods it selects ` + `(${selected.map(describe).join(', ')}) has a port of that name`,
        `name the container port "${targetPort}" (ports[].name), or give targetPort as a number`,
      ),
    );
  });
  return findings;
}

/** Points at the workload whose pod labels share the most pairs with the selector, when one shares any. */
function selectorFix(selector: Record<string, string>, templates: readonly PodTemplate[]): string {
  const shared = (template: PodTemplate) => Object.entries(selector).filter(([key, value]) => template.labels[key] === value).length;
  const closest = [...templates].sort((a, b) => shared(b) - shared(a))[0];
  if (closest && shared(closest) > 0) {
    return `make spec.selector a subset of the pod labels of the workload it fronts (${describe(closest)} has ${formatLabels(closest.labels)})`;
  }
  return 'make spec.selector a subset of the pod labels (spec.template.metadata.labels) of the workload it fronts';
}

function describe(template: PodTemplate): string {
  return `${template.object.kind}/${template.object.metadata.name}`;
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}
