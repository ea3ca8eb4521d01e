/**
 * Renders the GitOps tree the way Argo CD will: every overlay, and the argocd/ folder, through the real
 * Kustomize. Each rendered folder is a scope that the rules check on its own; a folder Kustomize rejects becomes
 * a finding, so one broken overlay does not hide what is wrong with the others.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { ENVIRONMENT_NAMES } from '../config/schema.ts';
import { UserError } from '../../contract/errors.ts';
import { KUSTOMIZATION_FILE } from '../gitops/kustomization.ts';
import { KustomizeBuildError, kustomizeBuild, type KubernetesObject } from '../gitops/kustomize-build.ts';
import { finding, type Finding } from './finding.ts';
import { isKind } from './kinds.ts';
import { asRecord } from './object-access.ts';

/** The name of the scope holding the Argo CD objects (and the folder it is rendered from). */
export const ARGOCD_SCOPE = 'argocd';

/** One rendered folder: an environment overlay, or argocd/. */
export interface Scope {
  /** The overlay's folder name (`dev`, `staging`, `prod`, `preview`, ...) or `argocd`. */
  readonly name: string;
  /** The folder rendered, e.g. `gitops/overlays/prod`. */
  readonly directory: string;
  /** True for an environment overlay: the per-environment guardrail rules apply to it. */
  readonly environment: boolean;
  /**
   * The namespace its namespaced objects belong in: the kustomization's `namespace:`, else the one Namespace
   * object it renders; undefined when it has neither.
   */
  readonly namespace: string | undefined;
  readonly objects: readonly KubernetesObject[];
}

export interface RenderedTree {
  readonly directory: string;
  /** Overlays in promotion order (dev, staging, prod, preview, then any other), then argocd. */
  readonly scopes: readonly Scope[];
  /** Folders that did not render, and an absent argocd/ folder. */
  readonly findings: readonly Finding[];
}

/** Renders every overlay under `<directory>/overlays/` and `<directory>/argocd/`, concurrently. */
export async function renderTree(directory: string): Promise<RenderedTree> {
  if (!(await isDirectory(directory))) {
    throw new UserError(`${directory}: no such folder: pass the GitOps tree with --out (default "gitops")`);
  }
  const overlays = await overlayNames(path.join(directory, 'overlays'));
  if (overlays.length === 0) {
    throw new UserError(`${path.join(directory, 'overlays')}: no overlays to validate: expected one folder per environment, each with a ${KUSTOMIZATION_FILE}`);
  }
  const folders = overlays.map((name) => ({ name, directory: path.join(directory, 'overlays', name), environment: true }));
  const findings: Finding[] = [];
  const argocd = path.join(directory, ARGOCD_SCOPE);
  if (await isDirectory(argocd)) {
    folders.push({ name: ARGOCD_SCOPE, directory: argocd, environment: false });
  } else {
    findings.push(
      finding(
        'render',
        { scope: ARGOCD_SCOPE },
        `${argocd}: no such folder, so no Argo CD object (AppProject, Application, ApplicationSet) was checked`,
        '`npx dynenv synth` writes argocd/ when dynenv.yaml has a repository:; or pass the folder that holds overlays/ and argocd/ with --dir',
        'warning',
      ),
    );
  }
  const rendered = await Promise.all(folders.map((folder) => renderScope(folder)));
  const scopes: Scope[] = [];
  for (const result of rendered) {
    if ('failure' in result) findings.push(result.failure);
    else scopes.push(result.scope);
  }
  return { directory, scopes, findings };
}

async function renderScope(folder: { name: string; directory: string; environment: boolean }): Promise<{ scope: Scope } | { failure: Finding }> {
  let objects: KubernetesObject[];
  try {
    objects = await kustomizeBuild(folder.directory);
  } catch (error) {
    if (!(error instanceof KustomizeBuildError)) throw error;
    return {
      failure: finding(
        'render',
        { scope: folder.name },
        `kustomize cannot render ${folder.directory}: ${error.output}`,
        `run \`kubectl kustomize ${folder.directory}\` to reproduce, and fix the file it names`,
      ),
    };
  }
  const namespace = (await kustomizationNamespace(folder.directory)) ?? soleNamespace(objects);
  return { scope: { ...folder, namespace, objects } };
}

/** The overlay folders (those holding a kustomization.yaml), in promotion order. */
async function overlayNames(overlaysDirectory: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(overlaysDirectory, { withFileTypes: true });
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await isFile(path.join(overlaysDirectory, entry.name, KUSTOMIZATION_FILE)))) names.push(entry.name);
  }
  return names.sort(byScopeOrder);
}

/**
 * An overlay named `<name>-fence` fences the overlay `<name>`: both are one environment, deployed by two
 * Applications (the preview's fence from the protected branch, its workloads from each pull request's head).
 */
export const FENCE_OVERLAY_SUFFIX = '-fence';

/**
 * Every object of the environment `scope` belongs to: its own and those of the overlay it fences or that fences
 * it. Rules that look for what a folder's objects rely on (the Service behind an Ingress, the default-deny
 * NetworkPolicy around pods) look here.
 */
export function environmentObjects(tree: Pick<RenderedTree, 'scopes'>, scope: Scope): readonly KubernetesObject[] {
  if (!scope.environment) return scope.objects;
  const partnerName = scope.name.endsWith(FENCE_OVERLAY_SUFFIX) ? scope.name.slice(0, -FENCE_OVERLAY_SUFFIX.length) : `${scope.name}${FENCE_OVERLAY_SUFFIX}`;
  const partner = tree.scopes.find((candidate) => candidate.environment && candidate.name === partnerName);
  return partner ? [...scope.objects, ...partner.objects] : scope.objects;
}

/** Orders scope names: the environments in promotion order, other overlays by name, argocd last. */
export function byScopeOrder(a: string, b: string): number {
  const rank = (name: string) => {
    if (name === ARGOCD_SCOPE) return ENVIRONMENT_NAMES.length + 1;
    const index = (ENVIRONMENT_NAMES as readonly string[]).indexOf(name);
    return index === -1 ? ENVIRONMENT_NAMES.length : index;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The `namespace:` of a folder's kustomization.yaml (Kustomize already read the file: it parses). */
async function kustomizationNamespace(directory: string): Promise<string | undefined> {
  const kustomization = asRecord(parse(await readFile(path.join(directory, KUSTOMIZATION_FILE), 'utf8')));
  const namespace = kustomization?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

function soleNamespace(objects: readonly KubernetesObject[]): string | undefined {
  const namespaces = objects.filter((object) => isKind(object, '', 'Namespace'));
  return namespaces.length === 1 ? namespaces[0]!.metadata.name : undefined;
}

async function isDirectory(target: string): Promise<boolean> {
  return (await stat(target).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(target: string): Promise<boolean> {
  return (await stat(target).catch(() => undefined))?.isFile() ?? false;
}
