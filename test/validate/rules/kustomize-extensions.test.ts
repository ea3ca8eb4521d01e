import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kustomizeExtensionsRule } from '../../../src/validate/rules/kustomize-extensions.ts';
import { lines, writeFixtureTree } from '../fixtures.ts';
import { REPO_ROOT, tempDir } from '../../support/workspace.ts';

/** The fixture tree on disk, with `kustomization` appended to the prod overlay's kustomization.yaml. */
async function treeWith(kustomization: string, files: Record<string, string> = {}) {
  const directory = await tempDir();
  await writeFixtureTree(directory);
  const overlay = path.join(directory, 'overlays/prod');
  await writeFile(
    path.join(overlay, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop-prod\nresources: [objects.yaml]\n${kustomization}`,
  );
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(directory, file)), { recursive: true });
    await writeFile(path.join(directory, file), text);
  }
  // The rule reads the files: the tree needs no rendering (an overlay that does not render is checked too).
  return { directory, overlay, tree: { directory, scopes: [], findings: [] } };
}

describe('kustomize-extensions rule', () => {
  it('passes the fixture tree (plain resources)', async () => {
    const { tree } = await treeWith('');
    expect(await lines(kustomizeExtensionsRule, tree)).toEqual([]);
  });

  it.each([
    ['transformers', 'runs after Argo CD sets the namespace and images, and can move or rename any object'],
    ['generators', 'makes objects of any kind and namespace, out of sight of the overlay'],
    ['validators', 'runs a plugin over everything the overlay renders'],
    ['replacements', 'rewrites any field of any object, namespaces and names included'],
  ])('reports %s: in an overlay', async (field, reach) => {
    const { directory, tree } = await treeWith(`${field}: []\n`);
    const file = path.relative(process.cwd(), path.join(directory, 'overlays/prod/kustomization.yaml'));
    expect(await lines(kustomizeExtensionsRule, tree)).toEqual([`error prod Kustomization/${file} ${field}: sets ${field}:, which ${reach}`]);
  });

  it('follows resources and components into the kustomizations they include (a PatchTransformer moving a RoleBinding)', async () => {
    const { directory, tree } = await treeWith('resources: [objects.yaml, ../../extra]\n', {
      'extra/kustomization.yaml': 'components: [../component]\n',
      'component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ntransformers: [move.yaml]\n',
      'component/move.yaml':
        'apiVersion: builtin\nkind: PatchTransformer\nmetadata: { name: move }\npatch: "[{op: replace, path: /metadata/namespace, value: shop-staging}]"\n',
    });
    const file = (folder: string) => path.relative(process.cwd(), path.join(directory, folder, 'kustomization.yaml'));
    expect(await lines(kustomizeExtensionsRule, tree)).toEqual([
      `error prod Kustomization/${file('extra')} components: sets components:, which brings in another kustomization, with transformers and replacements of its own`,
      `error prod Kustomization/${file('component')} transformers: sets transformers:, which runs after Argo CD sets the namespace and images, and can move or rename any object`,
    ]);
  });

  it("leaves the argocd folder (dynenv's own, deployed from the base branch) and remote resources alone", async () => {
    const { directory, tree } = await treeWith('resources: [objects.yaml, https://example.com/remote.yaml, github.com/acme/base?ref=v1]\n');
    await writeFile(path.join(directory, 'argocd/kustomization.yaml'), 'namespace: argocd\nresources: [objects.yaml]\nreplacements: []\n');
    expect(await lines(kustomizeExtensionsRule, tree)).toEqual([]);
  });

  it('checks the dynenv tree of this repository clean', async () => {
    expect(await lines(kustomizeExtensionsRule, { directory: path.join(REPO_ROOT, 'gitops'), scopes: [], findings: [] })).toEqual([]);
  });
});
