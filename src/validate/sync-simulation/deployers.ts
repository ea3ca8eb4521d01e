/**
 * The Argo CD Applications that deploy an overlay, as the argocd/ folder declares them: Applications whose source
 * path is the overlay's folder, and ApplicationSets whose template's is. What the sync of an overlay does depends on
 * them too (what they ignore, their sync options).
 */
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { isKind } from '../kinds.ts';
import { asArray, asRecord, asString, valueAt } from '../object-access.ts';
import type { RenderedTree, Scope } from '../render.ts';

/** An Application, or the Applications an ApplicationSet's template makes, that deploy one overlay. */
export interface Deployer {
  /** The Application or ApplicationSet. */
  readonly object: KubernetesObject;
  /** Its Application spec (an ApplicationSet's `spec.template.spec`). */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Where that spec is inside the object. */
  readonly specPath: readonly PropertyKey[];
}

export function deployersOf(tree: Pick<RenderedTree, 'scopes'>, overlay: Scope): Deployer[] {
  const deployers: Deployer[] = [];
  for (const scope of tree.scopes.filter((candidate) => !candidate.environment)) {
    for (const object of scope.objects) {
      const specPath = isKind(object, 'argoproj.io', 'Application')
        ? ['spec']
        : isKind(object, 'argoproj.io', 'ApplicationSet')
          ? ['spec', 'template', 'spec']
          : undefined;
      const spec = specPath && asRecord(valueAt(object, specPath));
      if (spec && sourcePaths(spec).some((path) => deploysOverlay(path, overlay.name))) deployers.push({ object, spec, specPath: specPath! });
    }
  }
  return deployers;
}

function sourcePaths(spec: Readonly<Record<string, unknown>>): string[] {
  const sources = [asRecord(spec.source), ...asArray(spec.sources).map(asRecord)];
  return sources.flatMap((source) => asString(source?.path) ?? []);
}

/** `gitops/overlays/preview` (or `./gitops/overlays/preview/`) deploys the overlay `preview`. */
function deploysOverlay(path: string, overlay: string): boolean {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  return segments.at(-1) === overlay && segments.at(-2) === 'overlays';
}

/** Whether the deployer leaves the `spec` of Job `name` as it is live: ignored, and ignored differences respected. */
export function leavesJobSpecAlone(deployer: Deployer, name: string): boolean {
  const respects = asArray(valueAt(deployer.spec, ['syncPolicy', 'syncOptions'])).includes('RespectIgnoreDifferences=true');
  const ignores = asArray(deployer.spec.ignoreDifferences).some((value) => {
    const entry = asRecord(value);
    if (!entry || entry.group !== 'batch' || entry.kind !== 'Job') return false;
    if (entry.name !== undefined && entry.name !== name) return false;
    return asArray(entry.jsonPointers).includes('/spec') || asArray(entry.jqPathExpressions).includes('.spec');
  });
  return respects && ignores;
}
