/**
 * A patch that names its target by kind and name (the escape hatch's patches from dynenv.yaml, or one written by
 * hand) is applied by kustomize to whatever matches, and to nothing without a word when nothing does: a renamed
 * service or a typo leaves the patch silently unused. Every targeted patch of an overlay's kustomization.yaml,
 * and of the folders it includes, must find its object among what the overlay renders.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { KUSTOMIZATION_FILE } from '../../gitops/kustomization.ts';
import { finding, type Finding } from '../finding.ts';
import { asRecord, asString } from '../object-access.ts';
import { scopeByScope, type Rule } from '../rule.ts';

interface TargetedPatchEntry {
  /** The kustomization.yaml that lists it, relative to the overlay (e.g. "kustomization.yaml", "../../base/api/kustomization.yaml"). */
  readonly listedIn: string;
  readonly path: string;
  readonly kind: string;
  readonly name: string;
}

export const patchTargetsRule: Rule = {
  id: 'patch-target',
  summary: 'every patch that names a target (kind and name) finds that object in the overlay',
  check: scopeByScope(async (scope) => {
    if (!scope.environment) return [];
    const findings: Finding[] = [];
    for (const entry of await targetedPatches(scope.directory)) {
      const found = scope.objects.some((object) => object.kind === entry.kind && object.metadata.name === entry.name);
      if (found) continue;
      findings.push(
        finding(
          'patch-target',
          { scope: scope.name, object: { kind: entry.kind, metadata: { name: entry.name } } },
          `the patch ${entry.path} (listed in ${entry.listedIn}) targets ${entry.kind} "${entry.name}", which ${scope.name} does not have: kustomize applies it to nothing`,
          `name an object the overlay has (\`kubectl kustomize ${scope.directory}\` lists them) in the patch's target in dynenv.yaml, or remove the patch`,
        ),
      );
    }
    return findings;
  }),
};

/** The targeted patches of the overlay's kustomization.yaml and of the folders it lists under `resources:`, one level down. */
async function targetedPatches(directory: string): Promise<TargetedPatchEntry[]> {
  const own = await readKustomization(directory);
  if (own === undefined) return [];
  const entries = patchEntries(own, KUSTOMIZATION_FILE);
  const resources = Array.isArray(own.resources) ? own.resources : [];
  for (const resource of resources) {
    if (typeof resource !== 'string' || /\.ya?ml$/.test(resource) || resource.includes('://')) continue;
    const included = await readKustomization(path.join(directory, resource));
    if (included !== undefined) entries.push(...patchEntries(included, path.posix.join(resource, KUSTOMIZATION_FILE)));
  }
  return entries;
}

function patchEntries(kustomization: Record<string, unknown>, listedIn: string): TargetedPatchEntry[] {
  const patches = Array.isArray(kustomization.patches) ? kustomization.patches : [];
  return patches.flatMap((patch) => {
    const entry = asRecord(patch);
    const target = asRecord(entry?.target);
    const kind = asString(target?.kind);
    const name = asString(target?.name);
    // A selector by labels or annotations, or a kind alone, may match many objects on purpose: only kind + name is checked.
    if (kind === undefined || name === undefined) return [];
    return [{ listedIn, path: asString(entry?.path) ?? '(inline patch)', kind, name }];
  });
}

// Kustomize already read the files (the overlay rendered), so a folder without one is a remote or generated resource.
async function readKustomization(directory: string): Promise<Record<string, unknown> | undefined> {
  try {
    return asRecord(parse(await readFile(path.join(directory, KUSTOMIZATION_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}
