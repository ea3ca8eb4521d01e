import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Git } from '../../src/delivery/git.ts';
import { readPinHistory } from '../../src/delivery/pin-history.ts';
import { BUILT, IMAGES, INITIAL, OVERLAY, pinOnMain } from '../support/delivery.ts';
import { commitOnMain, createGitFixture, git, teammateClone } from '../support/git-fixture.ts';

describe('readPinHistory', () => {
  it('lists each pin change of the deployed line, newest first, skipping commits that changed no pin or did not parse', async () => {
    const fixture = await createGitFixture();
    const initial = await git(fixture.origin, 'rev-parse', 'main');
    const first = await pinOnMain(fixture, 'prod', { api: BUILT.first });
    const edit = (change: (text: string) => string) => async (clone: string) => {
      const file = path.join(clone, OVERLAY.prod);
      await writeFile(file, change(await readFile(file, 'utf8')));
    };
    await commitOnMain(
      fixture,
      'Rename the namespace',
      edit((text) => text.replace('namespace: checkout-prod', 'namespace: checkout-production')),
    );
    await commitOnMain(
      fixture,
      'Break the file',
      edit((text) => `${text}images: [\n`),
    );
    const repaired = await commitOnMain(
      fixture,
      'Repair it, with a new pin',
      edit((text) => text.replace('images: [\n', '').replace(BUILT.first, BUILT.second)),
    );

    // A pull request with two commits merged with a merge commit: only the merged state ran.
    const teammate = await teammateClone(fixture);
    await git(teammate, 'checkout', '--quiet', '-b', 'release');
    for (const digest of [BUILT.third, BUILT.first]) {
      const file = path.join(teammate, OVERLAY.prod);
      await writeFile(file, (await readFile(file, 'utf8')).replace(/sha256:[0-9a-f]{64}/, digest));
      await git(teammate, 'commit', '--quiet', '-am', `Pin ${digest}`);
    }
    await git(teammate, 'checkout', '--quiet', 'main');
    await git(teammate, 'pull', '--quiet', '--ff-only');
    await git(teammate, 'merge', '--quiet', '--no-ff', '-m', 'Merge pull request #9', 'release');
    await git(teammate, 'push', '--quiet', 'origin', 'main');
    const merge = await git(teammate, 'rev-parse', 'HEAD');

    await git(fixture.work, 'fetch', '--quiet', 'origin');
    const changes = await readPinHistory(new Git(fixture.work), merge, OVERLAY.prod);
    expect(changes.map(({ image, reference, commit, subject, current }) => ({ image, reference, commit, subject, current }))).toEqual([
      { image: IMAGES.api, reference: { digest: BUILT.first }, commit: merge, subject: 'Merge pull request #9', current: true },
      { image: IMAGES.api, reference: { digest: BUILT.second }, commit: repaired, subject: 'Repair it, with a new pin', current: false },
      { image: IMAGES.api, reference: { digest: BUILT.first }, commit: first, subject: 'Pin prod', current: false },
      { image: IMAGES.api, reference: { digest: INITIAL.api }, commit: initial, subject: 'Add checkout: dynenv.yaml and gitops/', current: false },
      { image: IMAGES.web, reference: { digest: INITIAL.web }, commit: initial, subject: 'Add checkout: dynenv.yaml and gitops/', current: true },
      { image: IMAGES.worker, reference: { digest: INITIAL.worker }, commit: initial, subject: 'Add checkout: dynenv.yaml and gitops/', current: true },
    ]);
    expect(changes[0]!.date).toBeInstanceOf(Date);
  });

  it('reads tags as well as digests, and nothing from a file that never existed', async () => {
    const fixture = await createGitFixture();
    const repository = new Git(fixture.work);
    expect((await readPinHistory(repository, 'HEAD', OVERLAY.dev)).map((change) => change.reference)).toEqual([
      { tag: 'main' },
      { tag: 'main' },
      { tag: 'main' },
    ]);
    expect(await readPinHistory(repository, 'HEAD', 'gitops/overlays/qa/kustomization.yaml')).toEqual([]);
  });
});
