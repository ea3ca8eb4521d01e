/**
 * The preview ApplicationSet renders its template once per open pull request, from the parameter sets the dynenv
 * plugin emits. With `missingkey=error` a parameter the plugin does not emit aborts the whole ApplicationSet;
 * without it, it renders as "<no value>". Either way every preview breaks at once: the template may use only
 * the plugin's keys, and `generator` and `values`, which Argo CD adds.
 *
 * Only ApplicationSets whose generators are all plugin generators are checked: another generator adds keys of
 * its own that the plugin's list cannot account for.
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { closestMatch } from '../../../contract/suggest.ts';
import { isApplicationSet, leafGenerators, templateStrings } from '../application-sets.ts';
import { finding, type Finding } from '../finding.ts';
import { topLevelFieldsOf } from '../go-template-fields.ts';
import { ARGOCD_ADDED_PARAMETER_KEYS } from '../../../contract/plugin-parameters.ts';
import type { Scope } from '../render.ts';
import type { Rule } from '../rule.ts';

// Without goTemplate, Argo CD substitutes flattened keys written {{key}} or {{key.sub}} (fasttemplate).
const FLAT_PARAMETER = /\{\{\s*([A-Za-z0-9_-]+)(?:\.[^{}\s]*)?\s*\}\}/g;

export const applicationSetParametersRule: Rule = {
  id: 'applicationset-parameters',
  summary: 'the preview ApplicationSet template uses only parameters the dynenv plugin emits',
  check(tree, context) {
    const allowed = new Set([...context.pluginParameterKeys, ...ARGOCD_ADDED_PARAMETER_KEYS]);
    return tree.scopes.flatMap((scope) =>
      scope.objects
        .filter(isApplicationSet)
        .filter((applicationSet) => {
          const generators = leafGenerators(applicationSet);
          return generators.length > 0 && generators.every((generator) => generator.type === 'plugin');
        })
        .flatMap((applicationSet) => checkTemplate(applicationSet, allowed, context.pluginParameterKeys, scope)),
    );
  },
};

function checkTemplate(applicationSet: KubernetesObject, allowed: ReadonlySet<string>, emitted: readonly string[], scope: Scope): Finding[] {
  const goTemplate = (applicationSet.spec as { goTemplate?: unknown } | undefined)?.goTemplate === true;
  const findings: Finding[] = [];
  for (const { text, path } of templateStrings(applicationSet)) {
    const uses = goTemplate ? topLevelFieldsOf(text) : [...text.matchAll(FLAT_PARAMETER)].map((match) => ({ field: match[1]!, action: match[0] }));
    for (const { field, action } of uses) {
      if (allowed.has(field)) continue;
      const suggestion = closestMatch(field, emitted);
      findings.push(
        finding(
          'applicationset-parameters',
          { scope: scope.name, object: applicationSet, path },
          `${action} uses parameter "${field}", which the dynenv plugin does not emit`,
          suggestion
            ? `did you mean "${suggestion}"? The plugin emits: ${emitted.join(', ')}`
            : `use one of the parameters the plugin emits: ${emitted.join(', ')}`,
        ),
      );
    }
  }
  return findings;
}
