import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../src/gitops/write.ts';
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
