/**
 * An overlay is plain resources and patches. Kustomize's extension points run code over everything an overlay
 * renders, after what Argo CD sets: Argo CD applies an Application's `kustomize.namespace`, `images` and `patches`
 * by editing the source's own kustomization.yaml, so a `transformers:` entry there (a PatchTransformer, a
 * NamespaceTransformer) runs after them and can move an object into another namespace, rename it, or turn it into
 * a Namespace of any name. `generators:`, `validators:`, `components:` (which may carry transformers of their own)
 * and `replacements:` (which rewrite any field from any other) reach as far. dynenv writes none of them; a tree
 * that has one was edited by hand, or by a pull request, and its preview would run it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { finding, type Finding } from '../finding.ts';
import { asArray, asRecord } from '../object-access.ts';
import type { Rule } from '../rule.ts';

/** The fields refused, and what each can do. */
export const KUSTOMIZE_EXTENSION_FIELDS: Readonly<Record<string, string>> = {
  transformers: 'runs after Argo CD sets the namespace and images, and can move or rename any object',
  generators: 'makes objects of any kind and namespace, out of sight of the overlay',
  validators: 'runs a plugin over everything the overlay renders',
  components: 'brings in another kustomization, with transformers and replacements of its own',
  replacements: 'rewrites any field of any object, namespaces and names included',
};

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export const kustomizeExtensionsRule: Rule = {
  id: 'kustomize-extensions',
  summary: 'no overlay (nor a kustomization it includes) uses transformers, generators, validators, components or replacements',
  // Read from the files, not from the rendered scopes: an overlay that does not render is still checked.
  async check(tree) {
    const findings: Finding[] = [];
    const root = path.resolve(tree.directory);
    for (const overlay of await overlayFolders(path.join(root, 'overlays'))) {
      for (const { file, kustomization } of await kustomizationsFrom(path.join(root, 'overlays', overlay), root)) {
        for (const [field, reach] of Object.entries(KUSTOMIZE_EXTENSION_FIELDS)) {
          if (kustomization[field] === undefined) continue;
          const shown = path.relative(process.cwd(), file);
          findings.push(
            finding(
              'kustomize-extensions',
              { scope: overlay, object: { kind: 'Kustomization', metadata: { name: shown } }, path: [field] },
              `sets ${field}:, which ${reach}`,
              `remove ${field}: from ${shown} (dynenv writes none; Argo CD would run it in the preview of a pull request)`,
            ),
          );
        }
      }
    }
    return findings;
  },
};

async function overlayFolders(overlays: string): Promise<string[]> {
  const entries = await readdir(overlays, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The kustomization of `directory` and of every local folder it includes (resources, components), inside `root`. */
async function kustomizationsFrom(directory: string, root: string): Promise<Array<{ file: string; kustomization: Record<string, unknown> }>> {
  const found: Array<{ file: string; kustomization: Record<string, unknown> }> = [];
  const seen = new Set<string>();
  const queue = [directory];
  while (queue.length > 0) {
    const folder = queue.shift()!;
    if (seen.has(folder) || !(folder === root || folder.startsWith(root + path.sep))) continue;
    seen.add(folder);
    const read = await readKustomization(folder);
    if (read === undefined) continue;
    found.push(read);
    for (const entry of [...asArray(read.kustomization.resources), ...asArray(read.kustomization.components)]) {
      // Only folders hold kustomizations; files and remote URLs are resources Kustomize reads as they are.
      if (typeof entry === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(entry) && !/\.(ya?ml|json)$/i.test(entry)) queue.push(path.resolve(folder, entry));
    }
  }
  return found;
}

async function readKustomization(folder: string): Promise<{ file: string; kustomization: Record<string, unknown> } | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(folder, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    // A file Kustomize cannot read fails the render, which reports it; here it has nothing to say.
    const kustomization = asRecord(
      (() => {
        try {
          return parseDocument(text).toJS({ maxAliasCount: 100 });
        } catch {
          return undefined;
        }
      })(),
    );
    return kustomization ? { file, kustomization } : undefined;
  }
  return undefined;
}
