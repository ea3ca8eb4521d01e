/**
 * The image pins of an overlay: the `images:` entries of its kustomization.yaml, read and edited through the
 * `yaml` package's document API. An edit changes the value of one `digest:` scalar and nothing else, so
 * comments, key order, quoting and every other field survive, and the file stays byte-for-byte what
 * `dynenv synth` writes (synthesis carries the entries forward as they are).
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import type { KustomizeImage } from '../charts/tree-chart.ts';
import { IMAGE_DIGEST } from '../config/schema.ts';
import { UserError } from '../../contract/errors.ts';
import { YAML_OUTPUT } from '../gitops/yaml-style.ts';

/** What an overlay runs for one image: a digest (staging, prod) or a tag it follows (dev). */
export type ImageReference = { readonly digest: string } | { readonly tag: string };

export function formatReference(reference: ImageReference): string {
  return 'digest' in reference ? reference.digest : `tag ${reference.tag}`;
}

/** The pins of a kustomization.yaml, by image name; `where` names the file (and revision) in errors. */
export function readImagePins(text: string, where: string): Map<string, ImageReference> {
  const pins = new Map<string, ImageReference>();
  for (const entry of imageEntries(parse(text, where), where)) {
    const image = entry.toJSON() as KustomizeImage;
    if (typeof image.digest === 'string') pins.set(image.name, { digest: image.digest });
    else if (typeof image.newTag === 'string') pins.set(image.name, { tag: image.newTag });
  }
  return pins;
}

/**
 * The text of the kustomization.yaml with the `digest` of each named image replaced. Every image must have
 * exactly one entry, and that entry a digest: the edit never adds or removes a field. `first` are images promoted
 * there for the first time (they ran the tag of dynenv.yaml): each must have no entry yet, and gets
 * `{ name, digest }` at the end of `images:`.
 */
export function setImageDigests(text: string, where: string, digests: ReadonlyMap<string, string>, first: ReadonlyMap<string, string> = new Map()): string {
  const document = parse(text, where);
  const entries = imageEntries(document, where);
  for (const [image, digest] of digests) {
    if (!IMAGE_DIGEST.test(digest)) throw new Error(`not a digest: ${digest}`);
    const matching = entries.filter((entry) => entry.get('name') === image);
    if (matching.length !== 1) {
      throw new UserError(`${where}: images: expected one entry named ${image}, found ${matching.length}`);
    }
    const node = matching[0]!.get('digest', true);
    if (!isScalar(node) || typeof node.value !== 'string') {
      throw new UserError(`${where}: images: the entry of ${image} has no digest to replace`);
    }
    node.value = digest;
  }
  for (const [image, digest] of first) {
    if (!IMAGE_DIGEST.test(digest)) throw new Error(`not a digest: ${digest}`);
    const existing = entries.filter((entry) => entry.get('name') === image).length;
    if (existing !== 0) throw new UserError(`${where}: images: ${image} was never promoted, yet has ${existing} entr${existing === 1 ? 'y' : 'ies'}`);
    addEntry(document, { name: image, digest });
  }
  return document.toString(YAML_OUTPUT);
}

function parse(text: string, where: string): Document {
  const document = parseDocument(text, { prettyErrors: true });
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0];
    throw new UserError(
      `${where}${line ? `:${line.line}:${line.col}` : ''}: not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  return document;
}

function imageEntries(document: Document, where: string): YAMLMap[] {
  const images = document.get('images', true);
  if (images === undefined || images === null) return [];
  if (!isSeq(images) || images.items.some((item) => !isMap(item) || typeof item.get('name') !== 'string')) {
    throw new UserError(`${where}: images: expected a list of entries with a "name"`);
  }
  return images.items as YAMLMap[];
}

function addEntry(document: Document, entry: { name: string; digest: string }): void {
  const images = document.get('images', true);
  if (isSeq(images)) images.add(document.createNode(entry));
  else document.set('images', document.createNode([entry]));
}
