import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { history, type HistoryOptions } from '../../src/delivery/history.ts';
import { promote } from '../../src/delivery/promote.ts';
import { BUILT, INITIAL, pinOnMain } from '../support/delivery.ts';
import { rejection } from '../support/errors.ts';
import { EXAMPLE_REPOSITORY, gitHubSettings, startGitHub } from '../support/fake-github.ts';
import { createGitFixture, git, mergeOnOrigin, snapshot, teammateClone, type GitFixture } from '../support/git-fixture.ts';

/** Merges origin's `branch` into main with a merge commit, the way GitHub's merge button does; returns the merge. */
async function mergeWithCommit(fixture: GitFixture, branch: string, number: number): Promise<string> {
  const clone = await teammateClone(fixture);
  await git(clone, 'merge', '--quiet', '--no-ff', '-m', `Merge pull request #${number} from ${branch}`, `origin/${branch}`);
  await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
  return git(clone, 'rev-parse', 'HEAD');
}

function summary(entries: Awaited<ReturnType<typeof history>>['entries']) {
  return entries.map(({ service, reference, current }) => `${current ? '*' : ' '} ${service} ${'digest' in reference ? reference.digest : reference.tag}`);
}

describe('dynenv history', () => {
  it('lists what an environment ran, newest first, from origin; an earlier digest rolls back without --force', async () => {
    const fixture = await createGitFixture();
    const fake = await startGitHub();
    const settings = gitHubSettings(fake);
    const initial = await git(fixture.origin, 'rev-parse', 'main');

    const toStaging = await promote({ cwd: fixture.work, service: 'api', to: 'staging', digest: BUILT.first, ...settings });
    const stagingMerge = await mergeWithCommit(fixture, toStaging.outcome === 'published' ? toStaging.branch : '', 1);
    const toProd = await promote({ cwd: fixture.work, service: 'api', to: 'prod', ...settings });
    await mergeOnOrigin(fixture, toProd.outcome === 'published' ? toProd.branch : '');

    // The user's checkout is still at the first commit: history reads the deployed branch on origin.
    const prod = await history({ cwd: fixture.work, env: 'prod' });
    expect(prod).toMatchObject({ revision: 'origin/main', file: 'gitops/overlays/prod/kustomization.yaml' });
    expect(summary(prod.entries)).toEqual([`* api ${BUILT.first}`, `  api ${INITIAL.api}`, `* web ${INITIAL.web}`, `* worker ${INITIAL.worker}`]);
    expect(prod.entries[0]).toMatchObject({ subject: `Promote api to prod: sha256:${'a1'.repeat(6)}` });

    const staging = await history({ cwd: fixture.work, env: 'staging', service: 'api' });
    expect(staging.entries.map(({ commit, subject }) => [commit, subject])).toEqual([
      [stagingMerge, `Merge pull request #1 from promote/staging/api-${'a1'.repeat(6)}`],
      [initial, 'Add checkout: dynenv.yaml and gitops/'],
    ]);
    expect(summary((await history({ cwd: fixture.work, env: 'prod', ref: 'HEAD' })).entries)).toEqual([
      `* api ${INITIAL.api}`,
      `* web ${INITIAL.web}`,
      `* worker ${INITIAL.worker}`,
    ]);

    // Rolling prod back to the digest it ran before: staging ran it too, until the merge above.
    const rollback = await promote({ cwd: fixture.work, service: 'api', to: 'prod', digest: INITIAL.api, ...settings });
    expect(rollback).toMatchObject({ outcome: 'published', plan: { promotions: [{ from: BUILT.first, to: INITIAL.api, evidence: { kind: 'ran' } }] } });
    expect(fake.pull(EXAMPLE_REPOSITORY, 3).body).toContain(`  - staging ran it from \`${initial.slice(0, 12)}\` (`);
    expect(fake.pull(EXAMPLE_REPOSITORY, 3).body).toContain(` until \`${stagingMerge.slice(0, 12)}\` (`);
  });

  it('says when a shallow clone cuts the history short, where it matters', async () => {
    const fixture = await createGitFixture();
    const fake = await startGitHub();
    await pinOnMain(fixture, 'staging', { api: BUILT.first });
    await pinOnMain(fixture, 'staging', { api: BUILT.second });
    const shallow = path.join(path.dirname(fixture.work), 'shallow');
    await git(path.dirname(fixture.work), 'clone', '--quiet', '--depth', '1', `file://${fixture.origin}`, shallow);

    const listed = await history({ cwd: shallow, env: 'staging', service: 'api' });
    expect(summary(listed.entries)).toEqual([`* api ${BUILT.second}`]);
    expect(listed.warning).toBe('this clone is shallow: older pins are missing (git fetch --unshallow)');
    const refused = await rejection(promote({ cwd: shallow, service: 'api', to: 'prod', digest: BUILT.first, ...gitHubSettings(fake) }));
    expect(refused.message).toBe(
      `staging has never run ${BUILT.first} for api (per the history of gitops/overlays/staging/kustomization.yaml on origin/main; ` +
        'this clone is shallow, so its history may stop before that: run `git fetch --unshallow` and try again): refusing to promote ' +
        'it to prod. Promote it to staging first, or pass --force to promote it anyway.',
    );
    expect(fake.requests).toEqual([]);
  });

  it.each<[string, Partial<HistoryOptions>, number, string]>([
    ['preview', { env: 'preview' }, 2, '--env preview: preview pins no images (each pull request runs its own image), so it has no history of pins'],
    ['an unknown environment', { env: 'qa' }, 2, '--env: unknown environment "qa" (--env takes dev, staging or prod)'],
    ['an unknown service', { service: 'billing' }, 1, '--service: no service "billing" in dynenv.yaml (services are: api, web, worker)'],
    ['an unknown revision', { ref: 'v9.9.9' }, 1, '--ref: "v9.9.9" names no commit in '],
  ])('refuses %s', async (_case, overrides, exitCode, message) => {
    const fixture = await createGitFixture();
    const before = await snapshot(fixture);
    const error = await rejection(history({ cwd: fixture.work, env: 'prod', ...overrides }));
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.exitCode).toBe(exitCode);
    expect(await snapshot(fixture)).toEqual(before);
  });
});
