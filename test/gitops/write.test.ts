import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanTree } from '../../src/gitops/tree-on-disk.ts';
import { applyTree, diffTree, STAGING_PREFIX, writeFileAtomically } from '../../src/gitops/write.ts';
import { GENERATED_FIRST_LINE } from '../../src/gitops/yaml-style.ts';
import { rejection } from '../support/errors.ts';
import { tempDir } from '../support/workspace.ts';

describe('writeFileAtomically', () => {
  it('replaces the file and leaves nothing staged beside it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'kustomization.yaml');
    await writeFile(file, 'old\n');
    await writeFileAtomically(file, 'new\n');
    expect(await readFile(file, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['kustomization.yaml']);
  });

  it('leaves the old file, and no staged leftover, when the new one cannot be put in place', async () => {
    const dir = await tempDir();
    // A directory where the file should go: the rename fails after the new text was staged.
    await mkdir(path.join(dir, 'kustomization.yaml'));
    await writeFile(path.join(dir, 'kustomization.yaml', 'inside'), 'old\n');
    const error = await rejection(writeFileAtomically(path.join(dir, 'kustomization.yaml'), 'new\n'));
    expect((error as NodeJS.ErrnoException).code).toMatch(/^(EISDIR|ENOTEMPTY|EEXIST)$/);
    expect(await readdir(dir)).toEqual(['kustomization.yaml']);
    expect(await readFile(path.join(dir, 'kustomization.yaml', 'inside'), 'utf8')).toBe('old\n');
  });
});

describe('applyTree after a run that was killed', () => {
  it('regression: removes the empty folder a killed run left (after its last unlink, or staged into a new folder)', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'base/api'), { recursive: true });
    const deployment = `${GENERATED_FIRST_LINE}kind: Deployment\n`;
    await writeFile(path.join(root, 'base/api/deployment.yaml'), deployment);
    // Killed after unlinking every file of base/worker, before removing the folder:
    await mkdir(path.join(root, 'base/worker'));
    // Killed after creating overlays/qa/patches and staging a file into it:
    await mkdir(path.join(root, 'overlays/qa/patches'), { recursive: true });
    await writeFile(path.join(root, `overlays/qa/patches/${STAGING_PREFIX}1-abcd-api.yaml`), 'half');
    const next = new Map([['base/api/deployment.yaml', deployment]]);
    const changes = diffTree(await scanTree(root), next);
    expect(changes).toEqual({ added: [], changed: [], removed: [], foreign: [] });
    await applyTree(root, next, changes);
    expect((await readdir(root, { recursive: true })).sort()).toEqual(['base', 'base/api', 'base/api/deployment.yaml']);
  });
});
