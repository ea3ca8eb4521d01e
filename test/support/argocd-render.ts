/**
 * Renders the preview overlay the way Argo CD renders one preview Application: the ApplicationSet's template
 * filled with one pull request's parameters (goTemplate, missingkey=error), then Argo CD's kustomize options
 * applied to the overlay's kustomization.yaml in a copy of the tree, as Argo CD's repo server does
 * (`kustomize edit set namespace`, `kustomize edit set image`, and `patches` appended to the file), then a real
 * `kubectl kustomize`.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { kustomizeBuild, type KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { tempDir } from './workspace.ts';

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

/** Applies Argo CD's kustomize options to the kustomization.yaml in `overlay` (a copy). */
export async function applyKustomizeOptions(overlay: string, options: KustomizeOptions): Promise<void> {
  const file = path.join(overlay, 'kustomization.yaml');
  const kustomization = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  if (options.namespace) kustomization.namespace = options.namespace;
  if (options.images?.length) {
    const images = (kustomization.images as Array<Record<string, unknown>> | undefined) ?? [];
    for (const image of options.images) setImage(images, image);
    kustomization.images = images;
  }
  if (options.patches?.length) {
    kustomization.patches = [...((kustomization.patches as unknown[] | undefined) ?? []), ...options.patches];
  }
  await writeFile(file, stringify(kustomization));
}

export interface RenderedPreview {
  /** The Application Argo CD would create. */
  readonly application: { metadata: Record<string, any>; spec: Record<string, any> };
  /** The objects it would apply. */
  readonly objects: KubernetesObject[];
}

/** Renders the preview of one pull request from the gitops tree in `gitopsDir` and its ApplicationSet. */
export async function renderPreview(gitopsDir: string, applicationSet: any, parameters: PullRequestParameters): Promise<RenderedPreview> {
  const application = renderTemplateTree(applicationSet.spec.template, parameters);
  const source = application.spec.source;
  const copy = await tempDir('dynenv-argocd-render-');
  await cp(gitopsDir, path.join(copy, 'gitops'), { recursive: true });
  // The source path is relative to the repository root, whose gitops folder is the copy's.
  const overlay = path.join(copy, source.path as string);
  await applyKustomizeOptions(overlay, source.kustomize as KustomizeOptions);
  return { application, objects: await kustomizeBuild(overlay) };
}
