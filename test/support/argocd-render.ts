/**
 * Renders Applications the way Argo CD does: the ApplicationSet's template filled with one parameter set
 * (goTemplate, missingkey=error), then the Application's source fetched at its `targetRevision` (from a real Git
 * repository, or a folder standing for it), Argo CD's kustomize options applied to the source folder's
 * kustomization.yaml as its repo server does (util/kustomize/kustomize.go: `kustomize edit set image`, then
 * `edit set namespace`, then `patches` appended to the file), a real `kubectl kustomize`, and the objects marked
 * with the Application's tracking as the application controller marks them (util/argo/resource_tracking.go).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { tempDir } from './workspace.ts';

const run = promisify(execFile);

/** The parameters the plugin server emits for one pull request (any object of them). */
export type PullRequestParameters = object;

const GO_FIELD = /\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * A string of the template filled in. Only `{{ .key }}` is supported, which is all dynenv writes: anything else
 * left between braces fails the test rather than passing unrendered.
 */
export function renderGoTemplate(template: string, parameters: PullRequestParameters): string {
  const rendered = template.replace(GO_FIELD, (_, key: string) => {
    if (!(key in parameters)) throw new Error(`map has no entry for key "${key}" (missingkey=error)`);
    return String((parameters as Record<string, unknown>)[key]);
  });
  if (rendered.includes('{{') || rendered.includes('}}')) throw new Error(`unsupported template syntax in ${JSON.stringify(template)}`);
  return rendered;
}

/** Every string inside `value` rendered; the structure kept. */
export function renderTemplateTree<T>(value: T, parameters: PullRequestParameters): T {
  if (typeof value === 'string') return renderGoTemplate(value, parameters) as T;
  if (Array.isArray(value)) return value.map((item) => renderTemplateTree(item, parameters)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderTemplateTree(item, parameters)])) as T;
  }
  return value;
}

/** The `{{ .key }}` names used anywhere inside `value`. */
export function templateKeys(value: unknown): Set<string> {
  const keys = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === 'string') for (const match of item.matchAll(GO_FIELD)) keys.add(match[1]!);
    else if (Array.isArray(item)) item.forEach(visit);
    else if (item && typeof item === 'object') Object.values(item).forEach(visit);
  };
  visit(value);
  return keys;
}

export interface KustomizeOptions {
  namespace?: string;
  images?: string[];
  patches?: Array<Record<string, unknown>>;
}

/** `kustomize edit set image name:tag`: replaces the entry of that name, or adds one. */
function setImage(images: Array<Record<string, unknown>>, reference: string): void {
  const colon = reference.lastIndexOf(':');
  const slash = reference.lastIndexOf('/');
  const [name, tag] = colon > slash ? [reference.slice(0, colon), reference.slice(colon + 1)] : [reference, undefined];
  const entry = { name, ...(tag !== undefined && { newTag: tag }) };
  const index = images.findIndex((image) => image.name === name);
  if (index >= 0) images[index] = entry;
  else images.push(entry);
}

/** Applies Argo CD's kustomize options to the kustomization.yaml in `overlay` (a copy), in the repo server's order. */
export async function applyKustomizeOptions(overlay: string, options: KustomizeOptions | undefined): Promise<void> {
  if (!options) return;
  const file = path.join(overlay, 'kustomization.yaml');
  const kustomization = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  if (options.images?.length) {
    const images = (kustomization.images as Array<Record<string, unknown>> | undefined) ?? [];
    for (const image of options.images) setImage(images, image);
    kustomization.images = images;
  }
  if (options.namespace) kustomization.namespace = options.namespace;
  if (options.patches?.length) {
    kustomization.patches = [...((kustomization.patches as unknown[] | undefined) ?? []), ...options.patches];
  }
  await writeFile(file, stringify(kustomization));
}

/** An Application as the ApplicationSet controller creates it (the fields Argo CD's rendering reads). */
export interface ApplicationObject {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] } & Record<string, any>;
  spec: {
    project: string;
    source: { repoURL: string; targetRevision: string; path: string; kustomize?: KustomizeOptions };
    destination: { server: string; namespace: string };
  } & Record<string, any>;
}

/** What Argo CD would apply for one Application, and the Application itself. */
export interface RenderedApplication {
  readonly application: ApplicationObject;
  readonly objects: KubernetesObject[];
}

/** Where the repo server finds a source: a Git repository at the Application's revision, or a plain folder. */
export type SourceCheckout =
  /** A Git repository (bare or not) that stands for the Application's `repoURL`; checked out at `targetRevision`. */
  | { readonly gitDirectory: string }
  /** A folder that stands for the repository's folder `at` (e.g. "gitops") at any revision. */
  | { readonly folder: string; readonly at: string };

/** The repository's files at `revision`, in a new folder (what the repo server clones and checks out). */
async function checkOut(gitDirectory: string, revision: string): Promise<string> {
  const root = await tempDir('dynenv-repo-server-');
  const archive = path.join(root, 'source.tar');
  const tree = path.join(root, 'tree');
  await mkdir(tree);
  await run('git', ['--git-dir', gitDirectory, 'archive', '--format=tar', '-o', archive, revision]);
  await run('tar', ['-xf', archive, '-C', tree]);
  return tree;
}

/** Renders `application` from `checkout`, as the repo server renders its source. */
export async function renderApplication(application: ApplicationObject, checkout: SourceCheckout): Promise<RenderedApplication> {
  const { source } = application.spec;
  let root: string;
  if ('gitDirectory' in checkout) {
    root = await checkOut(checkout.gitDirectory, source.targetRevision);
  } else {
    root = await tempDir('dynenv-argocd-render-');
    await cp(checkout.folder, path.join(root, checkout.at), { recursive: true });
  }
  const overlay = path.join(root, source.path);
  await applyKustomizeOptions(overlay, source.kustomize);
  return { application, objects: await kustomizeBuild(overlay) };
}

/** The Applications `applicationSet` makes of `parameterSets`, as the ApplicationSet controller renders them. */
export function applicationsOf(applicationSet: { spec: { template: unknown } }, parameterSets: readonly PullRequestParameters[]): ApplicationObject[] {
  return parameterSets.map((parameters) => renderTemplateTree(applicationSet.spec.template, parameters) as ApplicationObject);
}

/** Argo CD's `application.resourceTrackingMethod`. */
export type TrackingMethod = 'annotation' | 'label' | 'annotation+label';

/**
 * `objects` as the application controller applies them for `application` (resourceTracking.SetAppInstance):
 * the annotation `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>` (the namespace
 * defaulting to the destination's), the label `<labelKey>: <app>`, or both.
 */
export function withTracking(
  objects: readonly KubernetesObject[],
  application: ApplicationObject,
  method: TrackingMethod = 'annotation',
  labelKey = 'app.kubernetes.io/instance',
): KubernetesObject[] {
  return objects.map((object) => {
    const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
    const namespace = object.metadata.namespace ?? application.spec.destination.namespace;
    const metadata = { ...object.metadata };
    if (method !== 'label') {
      metadata.annotations = {
        ...metadata.annotations,
        'argocd.argoproj.io/tracking-id': `${application.metadata.name}:${group}/${object.kind}:${namespace}/${object.metadata.name}`,
      };
    }
    if (method !== 'annotation') metadata.labels = { ...metadata.labels, [labelKey]: application.metadata.name };
    return { ...object, metadata };
  });
}
