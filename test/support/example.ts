/** The bundled example, loaded and synthesized in memory, and helpers to read the objects of a tree. */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig, parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesizeTree, type Tree } from '../../src/gitops/tree.ts';
import { REPO_ROOT } from './workspace.ts';

export async function exampleConfig(): Promise<Config> {
  return loadConfig(path.join(REPO_ROOT, 'dynenv.yaml'));
}

let synthesizedExample: Promise<Tree> | undefined;

/**
 * The bundled example's tree (a copy: the caller may change it). Synthesized once per worker: the example does not
 * change during a run, and a dozen files of every run asked for it again.
 */
export async function exampleTree(): Promise<Tree> {
  synthesizedExample ??= exampleConfig().then(synthesizeTree);
  return new Map(await synthesizedExample);
}

/** The object in file `file` of `tree`; fails the test when there is no such file. */
export function objectAt(tree: Tree, file: string): KubernetesObject {
  const text = tree.get(file);
  if (text === undefined) throw new Error(`no file ${file} in the tree (files: ${[...tree.keys()].join(', ')})`);
  return parse(text) as KubernetesObject;
}

/** The text of the bundled dynenv.yaml. */
export const EXAMPLE_TEXT = readFileSync(path.join(REPO_ROOT, 'dynenv.yaml'), 'utf8');

/** The example with `edit` applied to its parsed YAML first (for variations); unedited, the example itself. */
export function configWith(edit: (data: Record<string, any>) => void = () => {}): Config {
  const data = parse(EXAMPLE_TEXT) as Record<string, any>;
  edit(data);
  return parseConfig(JSON.stringify(data));
}

/** Every object in the files of one folder of the tree (its patches and kustomization excepted). */
export function objectsIn(tree: Tree, folder: string): KubernetesObject[] {
  return [...tree]
    .filter(([file]) => path.posix.dirname(file) === folder && !file.endsWith('/kustomization.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map((document) => document.toJS() as KubernetesObject));
}

/** The one object of `kind` (and `name`) among `objects`; fails when there is none or several. */
export function find(objects: readonly KubernetesObject[], kind: string, name?: string): KubernetesObject {
  const found = objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0]!;
}

/** A field deep inside an object, by path, for concise assertions on rendered YAML. */
export function dig(object: unknown, ...segments: Array<string | number>): any {
  let current: any = object;
  for (const segment of segments) current = current?.[segment];
  return current;
}

/**
 * Writes the tree synthesized from `config` into `dir`, as `dynenv synth --out <dir>` would; only the files
 * `include` accepts (by path in the tree), for a test that renders only part of a large tree.
 */
export async function writeTree(config: Config, dir: string, include: (file: string) => boolean = () => true): Promise<void> {
  for (const [file, text] of [...synthesizeTree(config)].filter(([file]) => include(file))) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}
