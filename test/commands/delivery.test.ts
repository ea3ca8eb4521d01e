/**
 * The delivery commands end to end: the command line (run in this process; the real binary runs in
 * promote-sigkill.test.ts), a real git origin, the fake GitHub.
 */
import { describe, expect, it } from 'vitest';
import { BUILT, INITIAL, OVERLAY } from '../support/delivery.ts';
import { dynenvInProcess as dynenv } from '../support/cli.ts';
import { EXAMPLE_REPOSITORY, startGitHub } from '../support/fake-github.ts';
import { createGitFixture, originFile, snapshot } from '../support/git-fixture.ts';

describe('dynenv promote, history and propose on the command line', () => {
  it('promotes, shows the history of the promoted branch, and has nothing to propose', async () => {
    const fixture = await createGitFixture();
    const fake = await startGitHub();
    const env = { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url };
    const branch = `promote/staging/api-${'a1'.repeat(6)}`;

    const promoted = await dynenv(fixture.work, ['promote', '--service', 'api', '--to', 'staging', '--digest', BUILT.first], env);
    expect(promoted.stderr).toBe('');
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(
      new RegExp(
        `^api: staging ${INITIAL.api} -> ${BUILT.first} \\(dev follows the tag main: the digest was given with --digest \\(Git cannot check a tag\\)\\)\\n` +
          `pushed [0-9a-f]{12} to ${branch}; opened pull request #1: https://github.com/${EXAMPLE_REPOSITORY}/pull/1\\n$`,
      ),
    );
    expect(await originFile(fixture, branch, OVERLAY.staging)).toContain(`digest: ${BUILT.first}`);

    const shown = await dynenv(fixture.work, ['history', '--env', 'staging', '--service', 'api', '--ref', `origin/${branch}`]);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n')).toEqual([
      `gitops/overlays/staging/kustomization.yaml on origin/${branch}, newest first (* = running now):`,
      `   SINCE              SERVICE  ${'IMAGE'.padEnd(BUILT.first.length + 2)}COMMIT        SUBJECT`,
      expect.stringMatching(
        new RegExp(`^\\* {2}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ {2}api {6}${BUILT.first} {2}[0-9a-f]{12} {2}Promote api to staging: sha256:a1a1a1a1a1a1$`),
      ),
      expect.stringMatching(
        new RegExp(`^ {3}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ {2}api {6}${INITIAL.api} {2}[0-9a-f]{12} {2}Add checkout: dynenv.yaml and gitops/$`),
      ),
      '',
    ]);
    const json = await dynenv(fixture.work, ['history', '--env', 'staging', '--service', 'api', '--ref', `origin/${branch}`, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject([
      { service: 'api', digest: BUILT.first, current: true },
      { service: 'api', digest: INITIAL.api, current: false },
    ]);

    expect(await dynenv(fixture.work, ['propose'], env)).toEqual({
      code: 0,
      stdout: 'gitops/ is up to date with dynenv.yaml: nothing to propose\n',
      stderr: '',
    });
  });

  it('exits 2 with the problem named for a bad command line, and 1 for a missing token, changing nothing', async () => {
    const fixture = await createGitFixture();
    const before = await snapshot(fixture);
    expect(await dynenv(fixture.work, ['promote', '--service', 'api', '--to', 'prod', '--digest', 'sha256:abc'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'dynenv promote: --digest: expected "sha256:" followed by 64 lower-case hex digits, got "sha256:abc"\n',
    });
    expect(await dynenv(fixture.work, ['promote', '--service', 'api'])).toMatchObject({
      code: 2,
      stderr: 'dynenv promote: --to ENV is required (the environment to promote into: staging or prod)\n',
    });
    expect(await dynenv(fixture.work, ['history'])).toMatchObject({
      code: 2,
      stderr: 'dynenv history: --env ENV is required (the environment whose history to list: dev, staging or prod)\n',
    });
    const noToken = await dynenv(fixture.work, ['promote', '--service', 'api', '--to', 'staging', '--digest', BUILT.first], { GITHUB_TOKEN: '' });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/^dynenv promote: GITHUB_TOKEN is not set: /);
    expect(await snapshot(fixture)).toEqual(before);
  });
});
