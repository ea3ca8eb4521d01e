/**
 * The render cache (DYNENV_RENDER_CACHE): a render is reused only while everything Kustomize could read is the same,
 * including what a kustomization reaches outside its folder and the renderer itself. The real kubectl renders,
 * through a wrapper on the PATH that counts how often it ran.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, chmod, cp, mkdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kustomizeBuild } from '../../src/gitops/kustomize-build.ts';
import { renderKey, RENDER_CACHE_VARIABLE } from '../../src/gitops/render-cache.ts';
import { tempDir } from '../support/workspace.ts';

const KUBECTL = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();

let dir: string;
let runs: string;
let wrapper: string;
const saved = { path: process.env.PATH, cache: process.env[RENDER_CACHE_VARIABLE] };

beforeEach(async () => {
  dir = await tempDir('dynenv-render-cache-');
  runs = path.join(dir, 'runs.log');
  wrapper = path.join(dir, 'bin', 'kubectl');
  await mkdir(path.dirname(wrapper));
  // Counts renders (`kubectl kustomize`), not the `kubectl version` the cache asks once per renderer.
  await writeFile(wrapper, `#!/bin/sh\n[ "$1" = kustomize ] && echo run >> '${runs}'\nexec '${KUBECTL}' "$@"\n`);
  await chmod(wrapper, 0o755);
  await writeFile(runs, '');
  process.env.PATH = `${path.dirname(wrapper)}${path.delimiter}${saved.path}`;
  process.env[RENDER_CACHE_VARIABLE] = path.join(dir, 'cache');
  await writeTree(path.join(dir, 'tree'));
});

afterEach(() => {
  process.env.PATH = saved.path;
  if (saved.cache === undefined) delete process.env[RENDER_CACHE_VARIABLE];
  else process.env[RENDER_CACHE_VARIABLE] = saved.cache;
});

/** A base with a ConfigMap and an overlay that reaches it through `../../base` and patches it from a file. */
async function writeTree(root: string): Promise<void> {
  await mkdir(path.join(root, 'base'), { recursive: true });
  await mkdir(path.join(root, 'overlays/dev/patches'), { recursive: true });
  await writeFile(path.join(root, 'base/kustomization.yaml'), 'resources:\n  - configmap.yaml\n');
  await writeFile(path.join(root, 'base/configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  colour: blue\n');
  await writeFile(
    path.join(root, 'overlays/dev/kustomization.yaml'),
    'namespace: shop-dev\nresources:\n  - ../../base\npatches:\n  - path: patches/size.yaml\n',
  );
  await writeFile(
    path.join(root, 'overlays/dev/patches/size.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  size: large\n',
  );
}

const kubectlRuns = async () => (await readFile(runs, 'utf8')).split('\n').filter(Boolean).length;
const overlay = (root = path.join(dir, 'tree')) => path.join(root, 'overlays/dev');
const data = async (root?: string) => (await kustomizeBuild(overlay(root)))[0]!.data;

describe('the render cache', () => {
  it('renders once, then answers the same objects from the cache, for this tree or a copy of it elsewhere', async () => {
    expect(await data()).toEqual({ colour: 'blue', size: 'large' });
    expect(await kubectlRuns()).toBe(1);
    expect(await data()).toEqual({ colour: 'blue', size: 'large' });
    await cp(path.join(dir, 'tree'), path.join(dir, 'copy'), { recursive: true });
    expect(await data(path.join(dir, 'copy'))).toEqual({ colour: 'blue', size: 'large' });
    expect(await kubectlRuns()).toBe(1);
  });

  it('renders again when a file it reaches changes: in the overlay, in a patch, or outside its folder', async () => {
    await data();
    await writeFile(path.join(dir, 'tree/base/configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  colour: red\n');
    expect(await data()).toEqual({ colour: 'red', size: 'large' });
    await appendFile(path.join(dir, 'tree/overlays/dev/patches/size.yaml'), '  shape: round\n');
    expect(await data()).toEqual({ colour: 'red', size: 'large', shape: 'round' });
    await appendFile(path.join(dir, 'tree/overlays/dev/kustomization.yaml'), 'namePrefix: new-\n');
    expect((await kustomizeBuild(overlay()))[0]!.metadata.name).toBe('new-settings');
    expect(await kubectlRuns()).toBe(4);
  });

  it('renders again with another renderer, and never caches a failure', async () => {
    await data();
    await utimes(wrapper, new Date(), new Date(Date.now() + 60_000));
    await data();
    expect(await kubectlRuns()).toBe(2);
    await writeFile(path.join(dir, 'tree/overlays/dev/patches/size.yaml'), 'not: [a, patch\n');
    await expect(kustomizeBuild(overlay())).rejects.toThrow(/kustomize failed/);
    await expect(kustomizeBuild(overlay())).rejects.toThrow(/kustomize failed/);
    expect(await kubectlRuns()).toBe(4);
  });

  it('follows a linked overlay to where it really is, as Kustomize resolves its `..`', async () => {
    await writeTree(path.join(dir, 'elsewhere'));
    await mkdir(path.join(dir, 'linked/overlays'), { recursive: true });
    await symlink(overlay(path.join(dir, 'elsewhere')), overlay(path.join(dir, 'linked')));
    const linked = path.join(dir, 'linked');
    expect(await data(linked)).toEqual({ colour: 'blue', size: 'large' });
    await writeFile(path.join(dir, 'elsewhere/base/configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  colour: red\n');
    expect(await data(linked)).toEqual({ colour: 'red', size: 'large' });
  });

  it('has no key for a kustomization the yaml package cannot read, though Kustomize can (a trailing ---)', async () => {
    await appendFile(path.join(overlay(), 'kustomization.yaml'), '---\n');
    expect(await renderKey(overlay(), 'kubectl')).toBeUndefined();
    expect(await data()).toEqual({ colour: 'blue', size: 'large' });
  });

  it('has no key for a tree holding a link to a folder, or a link to nothing', async () => {
    expect(await renderKey(overlay(), wrapper)).toMatch(/^[0-9a-f]{64}$/);
    await symlink(path.join(dir, 'tree/base'), path.join(overlay(), 'linked'));
    expect(await renderKey(overlay(), wrapper)).toBeUndefined();
    await rm(path.join(overlay(), 'linked'));
    await symlink(path.join(dir, 'nowhere'), path.join(overlay(), 'dangling'));
    expect(await renderKey(overlay(), wrapper)).toBeUndefined();
  });

  it('has no key for a kustomization that reaches a remote resource or a place outside the tree by its absolute path', async () => {
    const kustomization = path.join(overlay(), 'kustomization.yaml');
    expect(await renderKey(overlay(), wrapper)).toMatch(/^[0-9a-f]{64}$/);
    await appendFile(kustomization, 'components:\n  - https://github.com/acme/shared//component?ref=v1\n');
    expect(await renderKey(overlay(), wrapper)).toBeUndefined();
    await writeFile(kustomization, `resources:\n  - ${path.join(dir, 'tree/base')}\n`);
    expect(await renderKey(overlay(), wrapper)).toBeUndefined();
  });

  it('is off without DYNENV_RENDER_CACHE: every render runs Kustomize', async () => {
    delete process.env[RENDER_CACHE_VARIABLE];
    await data();
    await data();
    expect(await kubectlRuns()).toBe(2);
  });
});
