/**
 * Every way `dynenv promote` can be refused or fail: each gives a clear message and a non-zero exit code, and
 * leaves the checkout (HEAD, branches, files, worktrees) and origin exactly as they were.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promote, type PromoteOptions } from '../../src/delivery/promote.ts';
import { BUILT, OVERLAY, pinOnMain } from '../support/delivery.ts';
import { rejection } from '../support/errors.ts';
import { EXAMPLE_REPOSITORY, gitHubSettings, startGitHub, writes } from '../support/fake-github.ts';
import { commitOnMain, createGitFixture, git, snapshot, teammateClone, unchangingGitFixture } from '../support/git-fixture.ts';

const BRANCH = `promote/staging/api-${'a1'.repeat(6)}`;
const REPO_API = `/repos/${EXAMPLE_REPOSITORY}`;

async function setup() {
  const fixture = await createGitFixture();
  const fake = await startGitHub();
  const settings = gitHubSettings(fake);
  const toStaging: PromoteOptions = { cwd: fixture.work, service: 'api', to: 'staging', digest: BUILT.first, ...settings };
  return { fixture, fake, settings, toStaging };
}

describe('dynenv promote refuses bad input before it changes anything', () => {
  const digest = BUILT.first;
  it.each<[string, Partial<PromoteOptions>, number, string]>([
    ['a malformed digest', { digest: 'sha256:abc' }, 2, '--digest: expected "sha256:" followed by 64 lower-case hex digits, got "sha256:abc"'],
    [
      'an upper-case digest',
      { digest: `sha256:${'AB'.repeat(32)}` },
      2,
      `--digest: expected "sha256:" followed by 64 lower-case hex digits, got "sha256:${'AB'.repeat(32)}"`,
    ],
    ['an unknown environment', { to: 'qa' }, 2, '--to: unknown environment "qa" (--to takes staging or prod)'],
    ['another name of prod', { to: 'production' }, 2, '--to: unknown environment "production" (did you mean "prod"? --to takes staging or prod)'],
    ['an unknown source environment', { from: 'uat' }, 2, '--from: unknown environment "uat" (--from takes dev, staging or prod)'],
    [
      'dev as the target',
      { to: 'dev' },
      2,
      '--to dev: dev follows an image tag (environments.dev.imageTag in dynenv.yaml) that every build moves; it is not promoted to. Promote to staging or prod.',
    ],
    [
      'preview as the target',
      { to: 'preview' },
      2,
      '--to preview: preview pins no images; the ApplicationSet runs each pull request with its own image. Promote to staging or prod.',
    ],
    [
      'preview as the source',
      { from: 'preview' },
      2,
      '--from preview: preview pins no images (each pull request runs its own); promote from dev, staging or prod.',
    ],
    ['the target as the source', { from: 'staging' }, 2, '--from staging: the source must differ from --to staging'],
    ['--all with --service', { all: true }, 2, '--all and --service: give one of them'],
    ['--all with --digest', { all: true, service: undefined }, 2, '--all and --digest: each service has its own digest; --all takes them from --from'],
    ['no service', { service: undefined, digest: undefined }, 2, '--service NAME (or --all) is required'],
    ['an unknown service', { service: 'billing' }, 1, '--service: no service "billing" in dynenv.yaml (services are: api, web, worker)'],
    ['a misspelled service', { service: 'wbe' }, 1, '--service: no service "wbe" in dynenv.yaml (did you mean "web"?)'],
    [
      'no digest where the source follows a tag',
      { digest: undefined },
      1,
      'dev follows the tag "main" for api, and Git cannot tell which digest that is: pass --digest sha256:<the digest your CI built>, or --from an environment pinned by digest',
    ],
    [
      'a digest from dev straight into prod',
      { to: 'prod', from: 'dev' },
      1,
      `dev follows the tag "main", so Git cannot show that it ran ${digest}: refusing to promote it to prod. Promote it to dev first, or pass --force to promote it anyway.`,
    ],
    [
      'a configuration file that does not exist',
      { configFile: 'deploy/dynenv.yaml' },
      1,
      'deploy/dynenv.yaml: cannot read the configuration: no such file: run dynenv in the folder that holds it, or name it with --config FILE',
    ],
  ])('%s', async (_case, overrides, exitCode, message) => {
    const fixture = await unchangingGitFixture();
    const fake = await startGitHub();
    const toStaging: PromoteOptions = { cwd: fixture.work, service: 'api', to: 'staging', digest: BUILT.first, ...gitHubSettings(fake) };
    const before = await snapshot(fixture);
    const error = await rejection(promote({ ...toStaging, ...overrides }));
    expect({ message: error.message, exitCode: error.exitCode }).toEqual({ message, exitCode });
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests).toEqual([]);
  });

  it('a dirty working tree: an uncommitted change of dynenv.yaml, or an untracked file in gitops/', async () => {
    const { fixture, fake, toStaging } = await setup();
    await writeFile(path.join(fixture.work, 'dynenv.yaml'), 'app: changed\n', { flag: 'a' });
    await writeFile(path.join(fixture.work, 'gitops/overlays/staging/extra.yaml'), 'kind: ConfigMap\n');
    await writeFile(path.join(fixture.work, 'notes.txt'), 'scratch, ignored\n');
    const before = await snapshot(fixture);
    const error = await rejection(promote(toStaging));
    expect(error.message).toBe(
      'uncommitted changes to dynenv.yaml, gitops (M dynenv.yaml, ?? gitops/overlays/staging/extra.yaml): dynenv promote builds its ' +
        'branch from commits and would leave them out. Commit or stash them, then run it again.',
    );
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests).toEqual([]);
  });

  it('a missing token, or a GITHUB_API_URL that is not a URL', async () => {
    const { fixture, fake, toStaging } = await setup();
    const before = await snapshot(fixture);
    const missing = await rejection(promote({ ...toStaging, env: { GITHUB_API_URL: fake.url } }));
    expect(missing.message).toBe(
      'GITHUB_TOKEN is not set: dynenv opens the pull request through the GitHub API. Set GITHUB_TOKEN to a token with ' +
        '"pull requests: write" on the repository (and GITHUB_API_URL for GitHub Enterprise). Nothing was changed.',
    );
    const badUrl = await rejection(promote({ ...toStaging, env: { GITHUB_TOKEN: fake.token, GITHUB_API_URL: 'github.example.com' } }));
    expect(badUrl.message).toBe('GITHUB_API_URL: expected an http(s) URL such as "https://github.example.com/api/v3", got "github.example.com"');
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.requests).toEqual([]);
  });
});

describe('dynenv promote fails safely when git or GitHub does', () => {
  it('a push rejected because someone else pushed to the branch first: their commit stays, no pull request', async () => {
    const { fixture, fake, toStaging } = await setup();
    const teammate = await teammateClone(fixture);
    await git(teammate, 'commit', '--quiet', '--allow-empty', '-m', 'Their work');
    const theirs = await git(teammate, 'rev-parse', 'HEAD');
    // GitHub answers slowly; meanwhile, after dynenv read the branch, the teammate pushes it.
    fake.faults.inject({ kind: 'slow', delayMs: 1500 }, { match: { method: 'GET', path: `${REPO_API}/pulls` }, times: 1 });
    const before = await snapshot(fixture);
    const running = rejection(promote(toStaging));
    await until(() => fake.requests.some((request) => request.path === `${REPO_API}/pulls`));
    await git(teammate, 'push', '--quiet', 'origin', `HEAD:refs/heads/${BRANCH}`);

    const error = await running;
    expect(error.message).toBe(
      `git push to origin was rejected: someone else pushed to ${BRANCH} while dynenv was working (it did not exist when dynenv read it). ` +
        'Nothing was pushed and no pull request was changed: run the command again to build on their push.',
    );
    expect(await git(fixture.origin, 'rev-parse', BRANCH)).toBe(theirs);
    expect(writes(fake)).toEqual([]);
    const after = await snapshot(fixture);
    expect({ ...after, originRefs: '' }).toEqual({ ...before, originRefs: '' });
  });

  it.each<[string, (fake: Awaited<ReturnType<typeof startGitHub>>) => void, string]>([
    [
      'a revoked token',
      (fake) => fake.revokeToken(fake.token),
      'answered 401 Bad credentials: GITHUB_TOKEN is not valid (expired or revoked?). Set a valid token and run again.',
    ],
    [
      'a repository the token cannot see',
      (fake) => fake.faults.inject({ kind: 'not-found' }, { match: { path: REPO_API } }),
      'answered 404 Not Found: the repository example-org/checkout does not exist, or GITHUB_TOKEN cannot see it.',
    ],
    [
      'a spent rate limit',
      (fake) => fake.faults.inject({ kind: 'rate-limit', resetInSeconds: 3600 }),
      "answered 403 API rate limit exceeded for user ID 1000. (But here's the good news: Authenticated requests get a higher rate limit.): the token's API rate limit is spent until",
    ],
    [
      'GitHub failing while dynenv looks for the pull request',
      (fake) => fake.faults.inject({ kind: 'server-error', status: 502 }, { match: { path: `${REPO_API}/pulls` } }),
      'answered 502 Server Error. Run again once GitHub answers normally.',
    ],
  ])('an API error before the push (%s): nothing is pushed', async (_case, breakGitHub, message) => {
    const { fixture, fake, toStaging } = await setup();
    breakGitHub(fake);
    const before = await snapshot(fixture);
    const error = await rejection(promote(toStaging));
    expect(error.message).toContain(message);
    expect(error.message).toMatch(/^GitHub API http:\/\/127\.0\.0\.1:\d+: GET \/repos\/example-org\/checkout/);
    expect(error.exitCode).toBe(1);
    expect(await snapshot(fixture)).toEqual(before);
    expect(writes(fake)).toEqual([]);
  });

  it('an API error when opening the pull request, after the push: the new branch is deleted again', async () => {
    const { fixture, fake, toStaging } = await setup();
    fake.faults.inject({ kind: 'server-error', status: 502 }, { match: { method: 'POST' } });
    const before = await snapshot(fixture);
    const error = await rejection(promote(toStaging));
    expect(error.message).toMatch(/^GitHub API http:\/\/127\.0\.0\.1:\d+: POST \/repos\/example-org\/checkout\/pulls answered 502 Server Error\. /);
    expect(error.message).toContain(`\nThe pull request could not be opened or updated, so origin/${BRANCH} was deleted again: nothing was changed.`);
    // Retried (plugin-retry) before giving up.
    expect(writes(fake)).toEqual(Array(3).fill(`POST ${REPO_API}/pulls`));
    const after = await snapshot(fixture);
    expect(after).toEqual(before);
    expect(fake.repository(EXAMPLE_REPOSITORY)!.pulls.size).toBe(0);
  });

  it('an API error when updating the pull request: the branch goes back to the commit it had', async () => {
    const { fixture, fake, toStaging } = await setup();
    await promote(toStaging);
    const previous = await git(fixture.origin, 'rev-parse', BRANCH);
    const body = fake.pull(EXAMPLE_REPOSITORY, 1).body;
    await commitOnMain(fixture, 'Document the service', (clone) => writeFile(path.join(clone, 'README.md'), '# checkout\n'));
    fake.faults.inject({ kind: 'server-error', status: 503 }, { match: { method: 'PATCH' } });
    const before = await snapshot(fixture);

    const error = await rejection(promote(toStaging));
    expect(error.message).toContain(`so origin/${BRANCH} was moved back to ${previous.slice(0, 12)}: nothing was changed.`);
    expect(await snapshot(fixture)).toEqual(before);
    expect(fake.pull(EXAMPLE_REPOSITORY, 1).body).toBe(body);
  });

  it('a transient GitHub error is retried, and the promotion goes through', async () => {
    const { fake, toStaging } = await setup();
    fake.faults.inject({ kind: 'server-error', status: 502 }, { match: { method: 'POST' }, times: 1 });
    const result = await promote(toStaging);
    expect(result).toMatchObject({ outcome: 'published', publish: { pullRequest: 'opened', pull: { number: 1 } } });
    expect(writes(fake)).toEqual([`POST ${REPO_API}/pulls`, `POST ${REPO_API}/pulls`]);
  });

  it('a branch that holds commits dynenv did not make is not overwritten', async () => {
    const { fixture, fake, toStaging } = await setup();
    await promote(toStaging);
    const teammate = await teammateClone(fixture);
    await git(teammate, 'checkout', '--quiet', BRANCH);
    await writeFile(path.join(teammate, OVERLAY.staging), '# hand edit\n', { flag: 'a' });
    await git(teammate, 'commit', '--quiet', '-am', 'Tweak the pin by hand');
    await git(teammate, 'push', '--quiet', 'origin', BRANCH);
    const handmade = await git(teammate, 'rev-parse', '--short=7', 'HEAD');
    await pinOnMain(fixture, 'prod', { api: BUILT.third }, 'Something else lands on main');
    const before = await snapshot(fixture);
    const requests = writes(fake).length;

    const error = await rejection(promote(toStaging));
    expect(error.message).toBe(
      `origin/${BRANCH} holds commits dynenv did not make (${handmade} "Tweak the pin by hand" by Dana Developer): dynenv will not ` +
        'overwrite them. Merge or close its pull request and delete the branch, then run again. Nothing was changed.',
    );
    const after = await snapshot(fixture);
    expect({ ...after, originRefs: '' }).toEqual({ ...before, originRefs: '' });
    expect(after.originRefs).toBe(before.originRefs);
    expect(writes(fake).length).toBe(requests);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
