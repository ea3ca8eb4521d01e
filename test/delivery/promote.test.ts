import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promote } from '../../src/delivery/promote.ts';
import { BUILT, IMAGES, INITIAL, OVERLAY, pinOnMain, synthCheckOn } from '../support/delivery.ts';
import { gitHubSettings, startGitHub, writes, EXAMPLE_REPOSITORY } from '../support/fake-github.ts';
import { commitOnMain, createGitFixture, git, originFile, snapshot } from '../support/git-fixture.ts';

const PULLS = `POST /repos/${EXAMPLE_REPOSITORY}/pulls`;

async function setup() {
  const fixture = await createGitFixture();
  const fake = await startGitHub();
  return { fixture, fake, settings: gitHubSettings(fake) };
}

describe('dynenv promote', () => {
  it('moves one digest into staging: a branch off origin/main changing only that digest, and a pull request that says old → new', async () => {
    const { fixture, fake, settings } = await setup();
    const before = await snapshot(fixture);
    const main = await git(fixture.origin, 'rev-parse', 'main');

    const result = await promote({ cwd: fixture.work, service: 'api', to: 'staging', digest: BUILT.first, ...settings });

    const branch = `promote/staging/api-${'a1'.repeat(6)}`;
    expect(result).toMatchObject({ outcome: 'published', branch, publish: { pushed: true, pullRequest: 'opened' } });
    const head = await git(fixture.origin, 'rev-parse', branch);
    expect(await git(fixture.origin, 'rev-parse', `${branch}^`)).toBe(main);
    expect(await git(fixture.origin, 'diff', '--name-only', main, branch)).toBe(OVERLAY.staging);
    expect(await originFile(fixture, branch, OVERLAY.staging)).toBe((await originFile(fixture, 'main', OVERLAY.staging)).replace(INITIAL.api, BUILT.first));
    expect(await git(fixture.origin, 'log', '-1', '--format=%an <%ae>%n%B', branch)).toBe(
      `Dana Developer <dana@example.com>\nPromote api to staging: sha256:a1a1a1a1a1a1\n\n` +
        `api (${IMAGES.api}): ${INITIAL.api} -> ${BUILT.first}\n` +
        '  dev follows the tag main: the digest was given with --digest (Git cannot check a tag)\n\nGenerated-By: dynenv promote',
    );

    const pull = fake.pull(EXAMPLE_REPOSITORY, 1);
    expect(pull).toMatchObject({ state: 'open', headRef: branch, baseRef: 'main', title: 'Promote api to staging: sha256:a1a1a1a1a1a1' });
    expect(pull.body).toContain(`- **api** (\`${IMAGES.api}\`)\n  - staging: \`${INITIAL.api}\` → \`${BUILT.first}\`\n`);
    expect(pull.body).toContain('  - dev follows the tag `main`: the digest was given with --digest (Git cannot check a tag)\n');
    expect(pull.body).toContain(`Checked against \`${OVERLAY.dev}\` on \`main\` at \`${main.slice(0, 12)}\`.`);
    expect(writes(fake)).toEqual([PULLS]);
    expect(fake.requests.find((request) => request.method === 'POST')?.body).toEqual({
      head: branch,
      base: 'main',
      title: pull.title,
      body: pull.body,
    });

    // The checkout was never touched; origin gained the branch and nothing else.
    const after = await snapshot(fixture);
    expect({ ...after, originRefs: '' }).toEqual({ ...before, originRefs: '' });
    expect(after.originRefs).toBe(`${before.originRefs}\nrefs/heads/${branch} ${head}`);
    expect(await synthCheckOn(fixture, branch)).toEqual({ added: [], changed: [], removed: [], foreign: [] });
  });

  it('reuses the branch and the pull request for the same promotion: nothing is pushed or written again, until main moves', async () => {
    const { fixture, fake, settings } = await setup();
    const request = { cwd: fixture.work, service: 'api', to: 'staging', digest: BUILT.first, ...settings };
    await promote(request);
    const first = await snapshot(fixture);

    const again = await promote(request);
    expect(again).toMatchObject({ outcome: 'published', publish: { pushed: false, pullRequest: 'unchanged', pull: { number: 1 } } });
    expect(await snapshot(fixture)).toEqual(first);
    expect(writes(fake)).toEqual([PULLS]);

    // Someone merges something else: the same promotion is rebuilt on the new main, in the same pull request.
    const moved = await commitOnMain(fixture, 'Document the service', (clone) => writeFile(path.join(clone, 'README.md'), '# checkout\n'));
    const rebuilt = await promote(request);
    expect(rebuilt).toMatchObject({ publish: { pushed: true, pullRequest: 'updated', pull: { number: 1 } } });
    const branch = `promote/staging/api-${'a1'.repeat(6)}`;
    expect(await git(fixture.origin, 'rev-parse', `${branch}^`)).toBe(moved);
    expect(writes(fake)).toEqual([PULLS, `PATCH /repos/${EXAMPLE_REPOSITORY}/pulls/1`]);
    expect(fake.pull(EXAMPLE_REPOSITORY, 1).body).toContain(`on \`main\` at \`${moved.slice(0, 12)}\``);
    expect([...fake.repository(EXAMPLE_REPOSITORY)!.pulls.keys()]).toEqual([1]);
  });

  it('promotes to prod the digest staging runs, and refuses one staging never ran unless --force', async () => {
    const { fixture, fake, settings } = await setup();
    const landed = await pinOnMain(fixture, 'staging', { api: BUILT.first }, 'Promote api to staging (#7)');

    const result = await promote({ cwd: fixture.work, service: 'api', to: 'prod', ...settings });
    expect(result).toMatchObject({ outcome: 'published', branch: `promote/prod/api-${'a1'.repeat(6)}` });
    expect(fake.pull(EXAMPLE_REPOSITORY, 1).body).toContain(
      `  - prod: \`${INITIAL.api}\` → \`${BUILT.first}\`\n  - staging runs it, since \`${landed.slice(0, 12)}\``,
    );

    const before = await snapshot(fixture);
    const requestsBefore = fake.requests.length;
    const refused = promote({ cwd: fixture.work, service: 'api', to: 'prod', digest: BUILT.second, ...settings });
    await expect(refused).rejects.toThrow(
      `staging has never run ${BUILT.second} for api (per the history of ${OVERLAY.staging} on origin/main): ` +
        'refusing to promote it to prod. Promote it to staging first, or pass --force to promote it anyway.',
    );
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests.length).toBe(requestsBefore);

    const forced = await promote({ cwd: fixture.work, service: 'api', to: 'prod', digest: BUILT.second, force: true, ...settings });
    expect(forced).toMatchObject({ outcome: 'published', branch: `promote/prod/api-${'b2'.repeat(6)}` });
    expect(fake.pull(EXAMPLE_REPOSITORY, 2).body).toContain('  - staging has never run it: promoted with --force\n');
  });

  it('--all promotes every service whose digest differs, on one branch with one pull request', async () => {
    const { fixture, fake, settings } = await setup();
    await pinOnMain(fixture, 'staging', { api: BUILT.first, web: BUILT.second });

    const result = await promote({ cwd: fixture.work, all: true, to: 'prod', ...settings });
    expect(result.outcome).toBe('published');
    const branch = result.outcome === 'published' ? result.branch : '';
    expect(branch).toMatch(/^promote\/prod\/services-[0-9a-f]{12}$/);
    const prod = await originFile(fixture, branch, OVERLAY.prod);
    expect(prod).toBe((await originFile(fixture, 'main', OVERLAY.prod)).replace(INITIAL.api, BUILT.first).replace(INITIAL.web, BUILT.second));
    const pull = fake.pull(EXAMPLE_REPOSITORY, 1);
    expect(pull.title).toBe('Promote api, web to prod from staging');
    expect(pull.body).toContain('Promotes 2 services to **prod**');
    expect(pull.body).toContain('Already running in prod: worker.');
    expect(await synthCheckOn(fixture, branch)).toEqual({ added: [], changed: [], removed: [], foreign: [] });

    const again = await promote({ cwd: fixture.work, all: true, to: 'prod', ...settings });
    expect(again).toMatchObject({ branch, publish: { pushed: false, pullRequest: 'unchanged' } });
  });

  it('keeps the comments and quoting of the overlay, and synth --check stays clean', async () => {
    const { fixture, settings } = await setup();
    await commitOnMain(fixture, 'Annotate prod pins', async (clone) => {
      const file = path.join(clone, OVERLAY.prod);
      await writeFile(file, (await readFile(file, 'utf8')).replace(`digest: ${INITIAL.api}`, `digest: "${INITIAL.api}" # release 41`));
    });
    await pinOnMain(fixture, 'staging', { api: BUILT.first });
    const annotated = await originFile(fixture, 'main', OVERLAY.prod);

    const result = await promote({ cwd: fixture.work, service: 'api', to: 'prod', ...settings });
    const branch = result.outcome === 'published' ? result.branch : '';
    expect(await originFile(fixture, branch, OVERLAY.prod)).toBe(annotated.replace(`"${INITIAL.api}" # release 41`, `"${BUILT.first}" # release 41`));
    expect(await synthCheckOn(fixture, branch)).toEqual({ added: [], changed: [], removed: [], foreign: [] });
  });

  it('has nothing to do when the environment runs the digest already: no token needed, no request, no push', async () => {
    const { fixture, fake } = await setup();
    const before = await snapshot(fixture);
    const result = await promote({ cwd: fixture.work, service: 'api', to: 'prod', env: {} });
    expect(result).toMatchObject({ outcome: 'nothing-to-promote', plan: { unchanged: [{ service: 'api', digest: INITIAL.api }] } });
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests).toEqual([]);
  });
});
