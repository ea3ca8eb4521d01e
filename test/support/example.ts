/** The bundled example, loaded and synthesized in memory, and helpers to read the objects of a tree. */
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { synthesizeTree, type Tree } from '../../src/gitops/tree.ts';
import { REPO_ROOT } from './workspace.ts';

export async function exampleConfig(): Promise<Config> {
  return loadConfig(path.join(REPO_ROOT, 'dynenv.yaml'));
}

export async function exampleTree(): Promise<Tree> {
  return synthesizeTree(await exampleConfig());
}

/** The object in file `file` of `tree`; fails the test when there is no such file. */
export function objectAt(tree: Tree, file: string): KubernetesObject {
  const text = tree.get(file);
  if (text === undefined) throw new Error(`no file ${file} in the tree (files: ${[...tree.keys()].join(', ')})`);
  return parse(text) as KubernetesObject;
}
