import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../contract/errors.ts';
import { renderTree } from '../../src/validate/render.ts';
import { tempDir } from '../support/workspace.ts';
import { line, writeFixtureTree } from './fixtures.ts';

describe('renderTree (kubectl kustomize)', () => {
  it('renders each overlay and argocd/ into a scope with its namespace, objects in it', async () => {
    const dir = await tempDir();
    await writeFixtureTree(dir);
    const tree = await renderTree(dir);
    expect(tree.findings).toEqual([]);
    expect(tree.scopes.map(({ name, directory, environment, namespace }) => ({ name, directory, environment, namespace }))).toEqual([
      { name: 'prod', directory: path.join(dir, 'overlays/prod'), environment: true, namespace: 'shop-prod' },
      { name: 'argocd', directory: path.join(dir, 'argocd'), environment: false, namespace: 'argocd' },
    ]);
    const deployment = tree.scopes[0]!.objects.find((object) => object.kind === 'Deployment');
    expect(deployment?.metadata).toMatchObject({ name: 'api', namespace: 'shop-prod' });
  });

  it('orders the overlays by promotion (dev, staging, prod, preview), then any other, then argocd', async () => {
    const dir = await tempDir();
    await writeFixtureTree(dir);
    for (const name of ['preview', 'zeta', 'dev', 'staging']) await cp(path.join(dir, 'overlays/prod'), path.join(dir, 'overlays', name), { recursive: true });
    // A folder without a kustomization.yaml is not an overlay.
    await mkdir(path.join(dir, 'overlays/notes'));
    const tree = await renderTree(dir);
    expect(tree.scopes.map((scope) => scope.name)).toEqual(['dev', 'staging', 'prod', 'preview', 'zeta', 'argocd']);
  });

  it("takes the overlay's one Namespace object when its kustomization sets no namespace", async () => {
    const dir = await tempDir();
    await writeFixtureTree(dir);
    await writeFile(
      path.join(dir, 'overlays/prod/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [objects.yaml]\n',
    );
    expect((await renderTree(dir)).scopes[0]!.namespace).toBe('shop-prod');
  });

  it('reports an overlay Kustomize rejects as a finding, and still renders the others', async () => {
    const dir = await tempDir();
    await writeFixtureTree(dir);
    await cp(path.join(dir, 'overlays/prod'), path.join(dir, 'overlays/staging'), { recursive: true });
    await rm(path.join(dir, 'overlays/staging/objects.yaml'));
    const tree = await renderTree(dir);
    expect(tree.scopes.map((scope) => scope.name)).toEqual(['prod', 'argocd']);
    expect(tree.findings.map(line)).toEqual([expect.stringMatching(/^error staging: kustomize cannot render .*overlays\/staging: .*objects\.yaml/)]);
    expect(tree.findings[0]!.fix).toBe(`run \`kubectl kustomize ${path.join(dir, 'overlays/staging')}\` to reproduce, and fix the file it names`);
  });

  it('warns when there is no argocd/ folder', async () => {
    const dir = await tempDir();
    await writeFixtureTree(dir);
    await rm(path.join(dir, 'argocd'), { recursive: true });
    expect((await renderTree(dir)).findings.map(line)).toEqual([
      `warning argocd: ${path.join(dir, 'argocd')}: no such folder, so no Argo CD object (AppProject, Application, ApplicationSet) was checked`,
    ]);
  });

  it('fails with a clear error on a folder that does not exist, or has no overlays', async () => {
    const dir = await tempDir();
    await expect(renderTree(path.join(dir, 'nowhere'))).rejects.toThrow(
      new UserError(`${path.join(dir, 'nowhere')}: no such folder: pass the GitOps tree with --out (default "gitops")`),
    );
    await mkdir(path.join(dir, 'overlays/prod'), { recursive: true });
    await expect(renderTree(dir)).rejects.toThrow(
      `${path.join(dir, 'overlays')}: no overlays to validate: expected one folder per environment, each with a kustomization.yaml`,
    );
  });
});
