/**
 * Names become DNS names, label values and parts of pod host names, and Kubernetes caps those at 63 characters.
 * The schema does not check them. Every object name, namespace and container name must be a DNS-1123 label.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { explainDns1123Label } from '../../../contract/names.ts';
import { finding, type Finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import { asString } from '../object-access.ts';
import { containersOf, podTemplateOf } from '../pod-templates.ts';
import type { Rule } from '../rule.ts';

const FIX = 'rename it: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit';

export const namesRule: Rule = {
  id: 'name',
  summary: 'object names, namespaces and container names are DNS-1123 labels of at most 63 characters',
  check(tree) {
    return tree.scopes.flatMap((scope) =>
      scope.objects.flatMap((object) => {
        const findings: Finding[] = [];
        const check = (name: unknown, path: readonly PropertyKey[], what: string) => {
          const problem = typeof name === 'string' ? explainDns1123Label(name) : undefined;
          if (problem) {
            const message = `${what} "${String(name)}" is not a DNS-1123 label: it ${problem}`;
            findings.push(finding('name', { scope: scope.name, object, path }, message, FIX));
          }
        };
        if (!namedWithDots(object)) check(object.metadata?.name, ['metadata', 'name'], 'name');
        check(object.metadata?.namespace, ['metadata', 'namespace'], 'namespace');
        const template = podTemplateOf(object);
        if (template) {
          for (const { container, path } of containersOf(template)) check(asString(container.name), [...path, 'name'], 'container name');
        }
        return findings;
      }),
    );
  },
};

/** Kinds whose names must contain dots: a CRD is named `<plural>.<group>`, an APIService `<version>.<group>`. */
function namedWithDots(object: KubernetesObject): boolean {
  return isKind(object, 'apiextensions.k8s.io', 'CustomResourceDefinition') || isKind(object, 'apiregistration.k8s.io', 'APIService');
}
