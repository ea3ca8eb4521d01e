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
 * exactly one entry, and that entry a digest: the edit never adds or removes a field.
 */
export function setImageDigests(text: string, where: string, digests: ReadonlyMap<string, string>): string {
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
  return document.toString(YAML_OUTPUT);
}

function parse(text: string, where: string): Document {
  const document = parseDocument(text, { prettyErrors: true });
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0];
    throw new UserError(`${where}${line ? `:${line.line}:${line.col}` : ''}: not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
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
