/** Shared pieces of the delivery tests: digests, overlay paths, and edits a teammate lands on main. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setImageDigests } from '../../src/delivery/image-pins.ts';
import { synthesize } from '../../src/gitops/synthesize.ts';
import type { TreeChanges } from '../../src/gitops/write.ts';
import { commitOnMain, git, teammateClone, type GitFixture } from './git-fixture.ts';

export const IMAGES = {
  api: 'ghcr.io/example-org/checkout-api',
  web: 'ghcr.io/example-org/checkout-web',
  worker: 'ghcr.io/example-org/checkout-worker',
} as const;

/** The digests the example's staging and prod start with. */
export const INITIAL = {
  api: 'sha256:3f1c6bd4d1b25e0a6f0bbf4fcb2b7a7c8d7e1f9a0c4b5d6e7f8091a2b3c4d5e6',
  web: 'sha256:9a8b7c6d5e4f30211f2e3d4c5b6a79881726354453627180a9b8c7d6e5f4a3b2',
  worker: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
} as const;

/** Digests nothing runs yet. */
export const BUILT = {
  first: `sha256:${'a1'.repeat(32)}`,
  second: `sha256:${'b2'.repeat(32)}`,
  third: `sha256:${'c3'.repeat(32)}`,
} as const;

export const OVERLAY = {
  dev: 'gitops/overlays/dev/kustomization.yaml',
  staging: 'gitops/overlays/staging/kustomization.yaml',
  prod: 'gitops/overlays/prod/kustomization.yaml',
} as const;

/** Lands a change of `environment`'s pins on origin's main, as a merged promotion would; returns the commit. */
export async function pinOnMain(
  fixture: GitFixture,
  environment: keyof typeof OVERLAY,
  digests: Partial<Record<keyof typeof IMAGES, string>>,
  message = `Pin ${environment}`,
): Promise<string> {
  return commitOnMain(fixture, message, async (clone) => {
    const file = path.join(clone, OVERLAY[environment]);
    const pins = new Map(Object.entries(digests).map(([service, digest]) => [IMAGES[service as keyof typeof IMAGES], digest!]));
    await writeFile(file, setImageDigests(await readFile(file, 'utf8'), file, pins));
  });
}

/** What `dynenv synth --check` reports on origin's `branch`: nothing when the branch's tree is what synthesis writes. */
export async function synthCheckOn(fixture: GitFixture, branch: string): Promise<TreeChanges> {
  const clone = await teammateClone(fixture);
  await git(clone, 'checkout', '--quiet', '--detach', `origin/${branch}`);
  return synthesize({ configFile: path.join(clone, 'dynenv.yaml'), outDir: path.join(clone, 'gitops'), check: true });
}
