import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promote } from '../../src/delivery/promote.ts';
import { propose, type ProposeOptions } from '../../src/delivery/propose.ts';
import { readTree } from '../../src/gitops/write.ts';
import { BUILT, synthCheckOn } from '../support/delivery.ts';
import { rejection } from '../support/errors.ts';
import { EXAMPLE_REPOSITORY, gitHubSettings, startGitHub, writes } from '../support/fake-github.ts';
import { createGitFixture, git, snapshot, teammateClone, type GitFixture } from '../support/git-fixture.ts';

const BRANCH = 'dynenv/synth';
const PULLS = `/repos/${EXAMPLE_REPOSITORY}/pulls`;

async function setup() {
  const fixture = await createGitFixture();
  const fake = await startGitHub();
  const options: ProposeOptions = { cwd: fixture.work, ...gitHubSettings(fake) };
  return { fixture, fake, options };
}

/** Commits a change of dynenv.yaml in the user's checkout (not pushed, as when they run propose on their branch). */
async function changeConfig(fixture: GitFixture, from: string, to: string): Promise<string> {
  const file = path.join(fixture.work, 'dynenv.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(from, to));
  await git(fixture.work, 'commit', '--quiet', '-am', `dynenv.yaml: ${to}`);
  return git(fixture.work, 'rev-parse', 'HEAD');
}

describe('dynenv propose', () => {
  it('says the tree is up to date and does nothing (no token needed) when gitops/ is what dynenv.yaml synthesizes', async () => {
    const { fixture, fake } = await setup();
    const before = await snapshot(fixture);
    expect(await propose({ cwd: fixture.work, env: {} })).toEqual({ outcome: 'up-to-date' });
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests).toEqual([]);
  });

  it('commits only gitops/ on top of HEAD on dynenv/synth and opens a pull request summarising the change per overlay', async () => {
    const { fixture, fake, options } = await setup();
    const head = await changeConfig(fixture, 'LOG_LEVEL: warn', 'LOG_LEVEL: error');
    const treeBefore = await readTree(path.join(fixture.work, 'gitops'));
    const before = await snapshot(fixture);

    const result = await propose(options);
    expect(result).toMatchObject({ outcome: 'published', branch: BRANCH, publish: { pushed: true, pullRequest: 'opened' } });
    expect(await git(fixture.origin, 'rev-parse', `${BRANCH}^`)).toBe(head);
    expect((await git(fixture.origin, 'diff', '--name-only', head, BRANCH)).split('\n')).toEqual([
      'gitops/overlays/prod/patches/configmap-api-config.yaml',
      'gitops/overlays/prod/patches/configmap-web-config.yaml',
      'gitops/overlays/prod/patches/configmap-worker-config.yaml',
      'gitops/overlays/prod/patches/deployment-api.yaml',
      'gitops/overlays/prod/patches/deployment-web.yaml',
      'gitops/overlays/prod/patches/deployment-worker.yaml',
    ]);
    expect(await git(fixture.origin, 'log', '-1', '--format=%B', BRANCH)).toMatch(
      /^Synthesize gitops\/: overlays\/prod\n\noverlays\/prod: 0 added, 6 changed, 0 removed\n {2}~ gitops\/overlays\/prod\/patches\/configmap-api-config\.yaml\n[^]*\n\nGenerated-By: dynenv propose$/,
    );
    expect(await synthCheckOn(fixture, BRANCH)).toEqual({ added: [], changed: [], removed: [], foreign: [] });

    const pull = fake.pull(EXAMPLE_REPOSITORY, 1);
    expect(pull).toMatchObject({ headRef: BRANCH, baseRef: 'main', title: 'Synthesize gitops/: overlays/prod' });
    expect(pull.body).toContain(`\`npx dynenv synth\` of \`dynenv.yaml\` at \`${head.slice(0, 12)}\` changes \`gitops/\`:\n\n\`\`\`text\n`);
    expect(pull.body).toContain('overlays/prod: 0 added, 6 changed, 0 removed\n  ~ gitops/overlays/prod/patches/configmap-api-config.yaml\n');

    // The checkout is as it was: gitops/ reaches it through the pull request.
    const after = await snapshot(fixture);
    expect({ ...after, originRefs: '' }).toEqual({ ...before, originRefs: '' });
    expect([...(await readTree(path.join(fixture.work, 'gitops')))]).toEqual([...treeBefore]);
  });

  it('does nothing the second time, and rewrites its own branch and updates the same pull request when the tree changes again', async () => {
    const { fixture, fake, options } = await setup();
    await changeConfig(fixture, 'LOG_LEVEL: warn', 'LOG_LEVEL: error');
    await propose(options);
    const first = await snapshot(fixture);
    const requests = fake.requests.length;

    const second = await propose(options);
    expect(second).toMatchObject({ outcome: 'published', publish: { pushed: false, pullRequest: 'unchanged', pull: { number: 1 } } });
    expect(await snapshot(fixture)).toEqual(first);
    expect(writes(fake)).toEqual([`POST ${PULLS}`]);
    expect(fake.requests.slice(requests).map((request) => `${request.method} ${request.path}`)).toEqual([`GET /repos/${EXAMPLE_REPOSITORY}`, `GET ${PULLS}`]);

    const head = await changeConfig(fixture, 'replicas: 3', 'replicas: 4');
    const third = await propose(options);
    expect(third).toMatchObject({ publish: { pushed: true, pullRequest: 'updated', pull: { number: 1 } } });
    expect(await git(fixture.origin, 'rev-parse', `${BRANCH}^`)).toBe(head);
    expect(writes(fake)).toEqual([`POST ${PULLS}`, `PATCH ${PULLS}/1`]);
    expect(fake.pull(EXAMPLE_REPOSITORY, 1).body).toContain(`at \`${head.slice(0, 12)}\``);
    expect(await synthCheckOn(fixture, BRANCH)).toEqual({ added: [], changed: [], removed: [], foreign: [] });
  });

  it('takes --branch, --base and --repo', async () => {
    const { fixture, fake, options } = await setup();
    fake.createRepository('platform/checkout-deploy');
    await git(fixture.work, 'push', '--quiet', 'origin', 'main:release');
    await changeConfig(fixture, 'LOG_LEVEL: warn', 'LOG_LEVEL: error');
    const result = await propose({ ...options, branch: 'bot/gitops', base: 'release', repo: 'platform/checkout-deploy' });
    expect(result).toMatchObject({ branch: 'bot/gitops', publish: { pull: { base: 'release' } } });
    expect(fake.pull('platform/checkout-deploy', 1)).toMatchObject({ headRef: 'bot/gitops', baseRef: 'release' });
    expect(await git(fixture.origin, 'rev-parse', '--verify', 'refs/heads/bot/gitops')).toMatch(/^[0-9a-f]{40}$/);
  });
  it('works with dynenv.yaml and gitops/ in a folder of a larger repository, run from that folder', async () => {
    const { fixture, fake, options } = await setup();
    await mkdir(path.join(fixture.work, 'deploy'));
    await git(fixture.work, 'mv', 'dynenv.yaml', 'gitops', 'deploy/');
    await git(fixture.work, 'commit', '--quiet', '-m', 'Move delivery files to deploy/');
    await git(fixture.work, 'push', '--quiet', 'origin', 'main');
    const deploy = path.join(fixture.work, 'deploy');
    await changeConfig({ ...fixture, work: deploy }, 'LOG_LEVEL: warn', 'LOG_LEVEL: error');

    const proposed = await propose({ ...options, cwd: deploy });
    expect(proposed).toMatchObject({ outcome: 'published', publish: { pushed: true } });
    // HEAD's own change of dynenv.yaml (not pushed yet), then the synthesized files, and nothing else.
    expect((await git(fixture.origin, 'diff', '--name-only', 'main', BRANCH)).split('\n')).toEqual([
      'deploy/dynenv.yaml',
      ...['api', 'web', 'worker'].map((service) => `deploy/gitops/overlays/prod/patches/configmap-${service}-config.yaml`),
      ...['api', 'web', 'worker'].map((service) => `deploy/gitops/overlays/prod/patches/deployment-${service}.yaml`),
    ]);
    expect(fake.pull(EXAMPLE_REPOSITORY, 1).title).toBe('Synthesize deploy/gitops/: overlays/prod');

    const promoted = await promote({ ...options, cwd: deploy, service: 'api', to: 'staging', digest: BUILT.first });
    const branch = promoted.outcome === 'published' ? promoted.branch : '';
    expect(await git(fixture.origin, 'diff', '--name-only', 'main', branch)).toBe('deploy/gitops/overlays/staging/kustomization.yaml');
  });
});

describe('dynenv propose refuses and fails safely', () => {
  it.each<[string, Partial<ProposeOptions>, number, string]>([
    [
      'the base branch as its branch',
      { branch: 'main' },
      2,
      '--branch main: that is the base branch; dynenv pushes (with --force-with-lease) only to a branch of its own',
    ],
    ['an invalid branch name', { branch: 'dynenv/../synth' }, 2, '--branch: "dynenv/../synth" is not a valid branch name'],
    [
      'a base branch origin does not have',
      { base: 'trunk' },
      1,
      'origin has no branch "trunk": push it first, or name the deployed branch with --base or repository.branch in dynenv.yaml',
    ],
  ])('%s', async (_case, overrides, exitCode, message) => {
    const { fixture, fake, options } = await setup();
    await changeConfig(fixture, 'LOG_LEVEL: warn', 'LOG_LEVEL: error');
    const before = await snapshot(fixture);
    const error = await rejection(propose({ ...options, ...overrides }));
    expect({ message: error.message, exitCode: error.exitCode }).toEqual({ message, exitCode });
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests).toEqual([]);
  });

  it('refuses an uncommitted change of dynenv.yaml: the branch would not hold it', async () => {
    const { fixture, fake, options } = await setup();
    const file = path.join(fixture.work, 'dynenv.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('LOG_LEVEL: warn', 'LOG_LEVEL: error'));
    const before = await snapshot(fixture);
    const error = await rejection(propose(options));
    expect(error.message).toBe(
      'uncommitted changes to dynenv.yaml, gitops (M dynenv.yaml): dynenv propose builds its branch from commits and would ' +
        'leave them out. Commit or stash them, then run it again.',
    );
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests).toEqual([]);
  });

  it('refuses a missing token before pushing anything', async () => {
    const { fixture, fake } = await setup();
    await changeConfig(fixture, 'LOG_LEVEL: warn', 'LOG_LEVEL: error');
    const before = await snapshot(fixture);
    const error = await rejection(propose({ cwd: fixture.work, env: {} }));
    expect(error.message).toMatch(/^GITHUB_TOKEN is not set: /);
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests).toEqual([]);
  });

  it('does not overwrite commits someone pushed to its branch', async () => {
    const { fixture, fake, options } = await setup();
    await changeConfig(fixture, 'LOG_LEVEL: warn', 'LOG_LEVEL: error');
    await propose(options);
    const teammate = await teammateClone(fixture);
    await git(teammate, 'checkout', '--quiet', BRANCH);
    await writeFile(path.join(teammate, 'gitops/NOTES.md'), 'notes\n');
    await git(teammate, 'add', '.');
    await git(teammate, 'commit', '--quiet', '-m', 'Add notes');
    await git(teammate, 'push', '--quiet', 'origin', BRANCH);
    await changeConfig(fixture, 'replicas: 3', 'replicas: 4');
    const before = await snapshot(fixture);

    const error = await rejection(propose(options));
    expect(error.message).toMatch(/^origin\/dynenv\/synth holds commits dynenv did not make \([0-9a-f]{7} "Add notes" by Dana Developer\): /);
    expect(await snapshot(fixture)).toEqual(before);
    expect(writes(fake)).toEqual([`POST ${PULLS}`]);
  });
});
