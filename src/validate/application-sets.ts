/** Reading Argo CD ApplicationSets: their generators, however nested, and the strings their template renders. */
import type { KubernetesObject } from '../gitops/kustomize-build.ts';
import { isKind } from './kinds.ts';
import { asArray, asRecord, valueAt } from './object-access.ts';

/** The generator types that combine other generators rather than produce parameters themselves. */
const COMBINING_GENERATORS = ['matrix', 'merge'] as const;

/** A generator that produces parameters (list, git, plugin, ...), with its type and where it sits. */
export interface LeafGenerator {
  /** `plugin`, `list`, `git`, `clusters`, `pullRequest`, ... */
  readonly type: string;
  readonly spec: Readonly<Record<string, unknown>>;
  /** Path of the generator's own object, e.g. `spec.generators[0].plugin`. */
  readonly path: readonly PropertyKey[];
}

export function isApplicationSet(object: KubernetesObject): boolean {
  return isKind(object, 'argoproj.io', 'ApplicationSet');
}

/** Every parameter-producing generator of `applicationSet`, descending into matrix and merge generators. */
export function leafGenerators(applicationSet: KubernetesObject): LeafGenerator[] {
  const leaves: LeafGenerator[] = [];
  const visit = (generators: unknown, path: readonly PropertyKey[]) => {
    asArray(generators).forEach((value, index) => {
      for (const [type, spec] of Object.entries(asRecord(value) ?? {})) {
        const specRecord = asRecord(spec);
        // `selector` filters a generator's output; it is not a generator itself.
        if (!specRecord || type === 'selector') continue;
        const specPath = [...path, index, type];
        if ((COMBINING_GENERATORS as readonly string[]).includes(type)) visit(specRecord.generators, [...specPath, 'generators']);
        else leaves.push({ type, spec: specRecord, path: specPath });
      }
    });
  };
  visit(valueAt(applicationSet, ['spec', 'generators']), ['spec', 'generators']);
  return leaves;
}

/** A string of the template that Argo CD renders, and where it is. */
export interface TemplateString {
  readonly text: string;
  readonly path: readonly PropertyKey[];
}

/**
 * Every string Argo CD renders per parameter set: each string value of `spec.template` and of a generator's own
 * `template` (which Argo CD merges into it), each rendered one by one, and `spec.templatePatch`, rendered whole.
 */
export function templateStrings(applicationSet: KubernetesObject): TemplateString[] {
  const strings: TemplateString[] = [];
  const visit = (value: unknown, path: readonly PropertyKey[]) => {
    if (typeof value === 'string') strings.push({ text: value, path });
    else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (asRecord(value)) for (const [key, item] of Object.entries(value as object)) visit(item, [...path, key]);
  };
  visit(valueAt(applicationSet, ['spec', 'template']), ['spec', 'template']);
  for (const generator of leafGenerators(applicationSet)) visit(generator.spec.template, [...generator.path, 'template']);
  visit(valueAt(applicationSet, ['spec', 'templatePatch']), ['spec', 'templatePatch']);
  return strings;
}
