/**
 * Synthesis of the GitOps tree in memory: configuration → cdk8s charts → the text of every file under gitops/.
 * Nothing here touches the disk but to read the kustomization files whose image pins are carried forward, so a
 * failing synthesis cannot leave a half-written tree.
 */
import path from 'node:path';
import { ApiObject } from 'cdk8s';
import { buildApp, treeCharts } from '../charts/dynenv-app.ts';
import type { TreeChart } from '../charts/tree-chart.ts';
import type { Config } from '../config/schema.ts';
import { KustomizePatch } from '../constructs/kustomize-patch.ts';
import { type ExistingKustomization, KUSTOMIZATION_FILE, PATCHES_FOLDER, renderKustomization } from './kustomization.ts';
import { toJsonPatchFile, toYamlFile } from './yaml-style.ts';

/** Every file of the tree: path relative to gitops/ (always with "/") → its exact text. */
export type Tree = ReadonlyMap<string, string>;

/** Reads a file of the current tree (path relative to gitops/), or undefined when there is none. */
export type ReadExisting = (relativePath: string) => ExistingKustomization | undefined;

/** The user's own files a folder's kustomization.yaml lists (its `extra/`), relative to the folder. */
export type ReadUserResources = (directory: string) => readonly string[];

/**
 * Synthesizes the tree for `config`; `readExisting` supplies the current kustomization files, `userResources`
 * the files of the user's own that each folder includes.
 */
export function synthesizeTree(config: Config, readExisting: ReadExisting = () => undefined, userResources: ReadUserResources = () => []): Tree {
  const tree = new Map<string, string>();
  for (const chart of treeCharts(buildApp(config))) {
    for (const [file, text] of chartFiles(chart, readExisting, userResources(chart.directory))) {
      tree.set(path.posix.join(chart.directory, file), text);
    }
  }
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The files of one folder: one per object, and its kustomization.yaml. */
function chartFiles(chart: TreeChart, readExisting: ReadExisting, userResources: readonly string[]): Map<string, string> {
  const objects = chart.node.findAll().filter((construct): construct is ApiObject => construct instanceof ApiObject);
  const patches = objects.filter((object) => KustomizePatch.isPatch(object));
  const resources = objects.filter((object) => !KustomizePatch.isPatch(object));
  const files = new Map<string, string>();
  const resourceFiles = nameFiles(resources, '', files);
  const patchFiles = nameFiles(patches, PATCHES_FOLDER, files);
  const fields = chart.kustomization();
  for (const patch of fields.targetedPatches ?? []) {
    const name = `${PATCHES_FOLDER}${patch.file}`;
    if (files.has(name)) throw new Error(`two objects would be written to ${name}`);
    files.set(name, Array.isArray(patch.content) ? toJsonPatchFile(patch.content) : toYamlFile(patch.content));
  }
  const kustomizationPath = path.posix.join(chart.directory, KUSTOMIZATION_FILE);
  files.set(
    KUSTOMIZATION_FILE,
    renderKustomization({ ...fields, files: resourceFiles, patches: patchFiles, userResources }, readExisting(kustomizationPath)),
  );
  return files;
}

/**
 * Writes each object to `<kind>.yaml`, or `<kind>-<name>.yaml` where the folder holds several objects of that
 * kind, and returns the file names in order.
 */
function nameFiles(objects: ApiObject[], prefix: string, into: Map<string, string>): string[] {
  const perKind = new Map<string, number>();
  for (const object of objects) perKind.set(object.kind, (perKind.get(object.kind) ?? 0) + 1);
  const names: string[] = [];
  for (const object of [...objects].sort(byKindAndName)) {
    const kind = object.kind.toLowerCase();
    const name = `${prefix}${perKind.get(object.kind)! > 1 ? `${kind}-${object.name}` : kind}.yaml`;
    if (into.has(name)) throw new Error(`two objects would be written to ${name}`);
    into.set(name, toYamlFile(object.toJson()));
    names.push(name);
  }
  return names;
}

function byKindAndName(a: ApiObject, b: ApiObject): number {
  const left = `${a.kind}/${a.name}`;
  const right = `${b.kind}/${b.name}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
