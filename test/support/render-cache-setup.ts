/**
 * vitest's global setup: the suite's renders go through the render cache (src/gitops/render-cache.ts) in
 * node_modules/.cache/dynenv/renders, kept between runs like tsc's, ESLint's and Prettier's caches. Half of the
 * suite's renders are of trees another test file renders too, and a tree a test renders is mostly the same from
 * one run to the next: Kustomize was a fifth of the suite's CPU. A render is reused only while every file it could
 * read and the kubectl binary are byte for byte the same (test/gitops/render-cache.test.ts proves it), and
 * `DYNENV_RENDER_CACHE=` (empty) turns it off. Entries unused for a week are removed.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RENDER_CACHE_VARIABLE } from '../../src/gitops/render-cache.ts';

const FOLDER = path.resolve(import.meta.dirname, '../../node_modules/.cache/dynenv/renders');
const KEPT_FOR_MS = 7 * 24 * 3600 * 1000;

export default async function useRenderCache(): Promise<void> {
  process.env[RENDER_CACHE_VARIABLE] ??= FOLDER;
  const folder = process.env[RENDER_CACHE_VARIABLE];
  if (!folder) return;
  const now = Date.now();
  for (const entry of await readdir(folder).catch(() => [])) {
    const file = path.join(folder, entry);
    const { atimeMs, mtimeMs } = await stat(file);
    if (now - Math.max(atimeMs, mtimeMs) > KEPT_FOR_MS) await rm(file, { force: true });
  }
}
