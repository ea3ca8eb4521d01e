/**
 * The kustomization.yaml of one folder. Its digests are owned by promotion (`dynenv promote`, Kargo's
 * kustomize-set-image, Argo CD Image Updater): synthesis carries every existing entry forward with its comments
 * and only adds entries for images that have none yet. The tag of an environment that follows a tag (dev's
 * `imageTag`) is dynenv.yaml's: an entry that pins no digest takes the configured tag, so changing `imageTag`
 * changes what dev runs.
 */
import { Document, isMap, isSeq, parseDocument, type YAMLSeq } from 'yaml';
import type { KustomizationFields, KustomizeImage } from '../charts/tree-chart.ts';
import { UserError } from '../../contract/errors.ts';
import { GENERATED_HEADER, YAML_DOCUMENT, YAML_OUTPUT } from './yaml-style.ts';

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

const IMAGES_HEADER = `${GENERATED_HEADER}
 The images: entries are owned by promotion (\`npx dynenv promote\`): synthesis keeps them as they are.`;

export interface KustomizationInput extends KustomizationFields {
  /** The folder's own files, relative to the folder. */
  readonly files: readonly string[];
  /** Strategic-merge patch files, relative to the folder. @default [] */
  readonly patches?: readonly string[];
  /** Files and folders of the user's own (`extra/`), relative to the folder, listed after dynenv's. @default [] */
  readonly userResources?: readonly string[];
}

/** Where the `targetedPatches` of a folder are written, relative to it. */
export const PATCHES_FOLDER = 'patches/';

/** The kustomization.yaml currently on disk, whose `images:` entries win over the configured ones. */
export interface ExistingKustomization {
  /** Where it is, for error messages. */
  readonly path: string;
  readonly text: string;
}

/** The text of a kustomization.yaml, keeping the `images:` entries of the `existing` one. */
export function renderKustomization(input: KustomizationInput, existing?: ExistingKustomization): string {
  // dynenv's patches first, the user's after them: kustomize applies them in this order, so the user's word is the last.
  const patches = [
    ...(input.patches ?? []).map((path) => ({ path })),
    ...(input.targetedPatches ?? []).map(({ file, target }) => ({ path: `${PATCHES_FOLDER}${file}`, target: { ...target } })),
  ];
  const document = new Document(
    {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(input.namespace !== undefined && { namespace: input.namespace }),
    resources: [...(input.resources ?? []), ...input.files, ...(input.userResources ?? [])],
    ...(patches.length && { patches }),
    ...(input.labels &&
      Object.keys(input.labels).length && {
        labels: [{ pairs: { ...input.labels }, includeSelectors: false, includeTemplates: true }],
      }),
    },
    YAML_DOCUMENT,
  );
  const images = mergeImages(document, input.images ?? [], existing);
  if (images.items.length > 0) document.set('images', images);
  document.commentBefore = images.items.length > 0 ? IMAGES_HEADER : GENERATED_HEADER;
  return document.toString(YAML_OUTPUT);
}

/** The existing `images:` sequence (nodes and comments intact) plus configured images it does not name yet. */
function mergeImages(target: Document, configured: readonly KustomizeImage[], existing?: ExistingKustomization): YAMLSeq {
  const previous = existing === undefined ? undefined : existingImages(existing);
  const images = previous ? (previous.clone() as YAMLSeq) : (target.createNode([]) as YAMLSeq);
  const byName = new Map(images.items.filter(isMap).map((item) => [String(item.get('name')), item]));
  for (const image of configured) {
    const entry = byName.get(image.name);
    if (!entry) images.add(target.createNode({ ...image }));
    else if (image.newTag !== undefined && image.digest === undefined && !entry.has('digest')) entry.set('newTag', image.newTag);
  }
  return images;
}

// Refuse to guess: dropping a pin we could not read would silently move prod to the configured digest.
function existingImages(existing: ExistingKustomization): YAMLSeq | undefined {
  const document = parseDocument(existing.text, { prettyErrors: true });
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0];
    throw new UserError(
      `${existing.path}${line ? `:${line.line}:${line.col}` : ''}: cannot read the image pins to carry them forward: ` +
        `${error.message.split('\n')[0]}. Fix or restore the file (git checkout -- ${existing.path}) and run synth again.`,
    );
  }
  const images = document.get('images', true);
  if (images === undefined || images === null) return undefined;
  if (!isSeq(images) || images.items.some((item) => !isMap(item) || typeof item.get('name') !== 'string')) {
    throw new UserError(`${existing.path}: images: expected a list of entries with a "name", cannot carry the image pins forward`);
  }
  return images;
}

/** The `images:` entries of a kustomization.yaml text, as plain objects. */
export function readImages(text: string): KustomizeImage[] {
  const images = parseDocument(text).toJS()?.images;
  return Array.isArray(images) ? (images as KustomizeImage[]) : [];
}
