/**
 * Crash-safety of `dynenv promote`: the real command, killed with SIGKILL at a step of its work, not after a
 * delay: the steps are the git commands it starts (git's trace2 events) and the requests the fake GitHub receives.
 * The kills are aimed at the window the test exists for, from the creation of its worktree to the pull request's
 * creation (building the worktree, writing the overlay, committing, pushing, opening the pull request), each in
 * its own slice of that window at a step drawn from a seed (printed when the test fails). After each kill: the user's checkout is as it was (HEAD, branches, index, files,
 * stash), `git fsck` finds both repositories sound, origin's branch is absent or holds exactly the new overlay on
 * top of main, the overlay left in an abandoned worktree is the old or the new version, and at most one pull
 * request exists, only for a pushed branch. The next run succeeds and removes what the killed one left behind.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WORKTREE_PARENT_PREFIX } from '../../src/delivery/abandoned-worktrees.ts';
import { promote } from '../../src/delivery/promote.ts';
import { INITIAL, OVERLAY } from '../support/delivery.ts';
import { EXAMPLE_REPOSITORY, gitHubSettings, startGitHub } from '../support/fake-github.ts';
import { createGitFixture, git, originFile, snapshot } from '../support/git-fixture.ts';
import { aimedEvent, CRASH_RUNS, crashDraws } from '../support/crash-seed.ts';
import { runAndKill, type KillOptions } from '../support/sigkill.ts';
import { tempDir } from '../support/workspace.ts';

const KILLS = CRASH_RUNS;

/** `git fsck --full` succeeds (dangling objects, which a killed commit may leave, are not errors). */
async function expectSound(repository: string): Promise<void> {
  const { stderr } = await promisify(execFile)('git', ['fsck', '--full', '--no-progress'], { cwd: repository });
  expect(
    stderr.split('\n').filter((line) => line !== '' && !line.startsWith('dangling') && !line.startsWith('Checking')),
    repository,
  ).toEqual([]);
}

/** The folders temporary worktrees were created in (tsx keeps its cache beside them). */
async function worktreeParents(tmp: string): Promise<string[]> {
  return (await readdir(tmp)).filter((entry) => entry.startsWith(WORKTREE_PARENT_PREFIX));
}

/** The overlay files in the worktrees a killed run left in `tmp`. */
async function abandonedOverlays(tmp: string): Promise<string[]> {
  const overlays: string[] = [];
  for (const entry of await worktreeParents(tmp)) {
    const file = path.join(tmp, entry, 'worktree', OVERLAY.staging);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) overlays.push(text);
  }
  return overlays;
}

type Landing = 'before pushing' | 'pushed, no pull request yet' | 'pull request opened';

describe('dynenv promote killed with SIGKILL', () => {
  // The timeout only guards against a hang: each kill is a real `dynenv` process, a promotion and git checks.
  it(`leaves the checkout and git consistent, and the next run completes the promotion (${KILLS} kills)`, { timeout: 300_000 }, async () => {
    const fixture = await createGitFixture();
    const fake = await startGitHub();
    // The killed runs' temporary worktrees go here, to be inspected.
    const tmp = await tempDir('dynenv-promote-kill-tmp-');
    const env = { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url, TMPDIR: tmp };
    const before = await snapshot(fixture);
    const main = await git(fixture.origin, 'rev-parse', 'main');
    const oldOverlay = await originFile(fixture, 'main', OVERLAY.staging);
    const digestOf = (run: number) => `sha256:${run.toString(16).padStart(2, '0').repeat(32)}`;
    const args = (digest: string) => ['promote', '--service', 'api', '--to', 'staging', '--digest', digest];

    const steps: Omit<KillOptions, 'killAtEvent'> = {
      env,
      traceGit: path.join(await tempDir('dynenv-promote-kill-trace-'), 'trace2.json'),
      events: (report) => fake.onRequest((request) => report(`github ${request.method} ${request.path}`)),
    };

    // The steps of a whole run, and the window: from `git worktree add` to the request that opens the pull request.
    const full = await runAndKill(fixture.work, args(digestOf(0)), { ...steps, killAtEvent: Number.POSITIVE_INFINITY });
    expect({ exitCode: full.exitCode, stderr: full.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const first = full.events.indexOf('git worktree') + 1;
    const last = full.events.findIndex((step) => /^github POST \/repos\/[^/]+\/[^/]+\/pulls$/.test(step)) + 1;
    expect(first, full.events.join(', ')).toBeGreaterThan(0);
    expect(last, full.events.join(', ')).toBeGreaterThan(first);
    const draws = crashDraws(KILLS, 'test/delivery/promote-sigkill.test.ts');

    const landings: Record<Landing, number> = { 'before pushing': 0, 'pushed, no pull request yet': 0, 'pull request opened': 0 };
    for (let run = 1; run <= KILLS; run++) {
      const digest = digestOf(run);
      const branch = `promote/staging/api-${digest.slice(7, 19)}`;
      // originFile trims; so do the comparisons below.
      const newOverlay = oldOverlay.replace(INITIAL.api, digest);
      // Kill `run` lands in the run-th of KILLS slices of the window.
      const killAtEvent = aimedEvent(draws[run - 1]!, run - 1, KILLS, first, last);
      const killed = await runAndKill(fixture.work, args(digest), { ...steps, killAtEvent });

      // The checkout: HEAD, branches, index and files, stash, exactly as before.
      const after = await snapshot(fixture);
      expect({ ...after, worktrees: '', originRefs: '' }, `kill ${run}`).toEqual({ ...before, worktrees: '', originRefs: '' });
      await expectSound(fixture.work);
      await expectSound(fixture.origin);
      expect(await git(fixture.origin, 'rev-parse', 'main')).toBe(main);
      for (const overlay of await abandonedOverlays(tmp)) expect([oldOverlay, newOverlay], `kill ${run}`).toContain(overlay.trimEnd());

      const pushed = (await git(fixture.origin, 'branch', '--list', branch)) !== '';
      if (pushed) {
        expect(await git(fixture.origin, 'rev-parse', `${branch}^`)).toBe(main);
        expect(await git(fixture.origin, 'diff', '--name-only', main, branch)).toBe(OVERLAY.staging);
        expect(await originFile(fixture, branch, OVERLAY.staging)).toBe(newOverlay);
      }
      const pulls = [...(fake.repository(EXAMPLE_REPOSITORY)?.pulls.values() ?? [])].filter((pull) => pull.headRef === branch);
      expect(pulls.length).toBeLessThanOrEqual(1);
      if (pulls.length > 0) expect(pushed).toBe(true);
      landings[!killed.killed || pulls.length > 0 ? 'pull request opened' : pushed ? 'pushed, no pull request yet' : 'before pushing'] += 1;

      // The next run succeeds, whatever was left: one pull request for the branch, and no abandoned worktree.
      const result = await promote({ cwd: fixture.work, service: 'api', to: 'staging', digest, ...gitHubSettings(fake) });
      expect(result).toMatchObject({ outcome: 'published', branch });
      expect(await originFile(fixture, branch, OVERLAY.staging)).toBe(newOverlay);
      const open = [...(fake.repository(EXAMPLE_REPOSITORY)?.pulls.values() ?? [])].filter((pull) => pull.headRef === branch && pull.state === 'open');
      expect(open).toHaveLength(1);
      expect({ ...(await snapshot(fixture)), originRefs: '' }).toEqual({ ...before, originRefs: '' });
      // What is left in the temporary directory is at most an empty folder (a run killed before `worktree add`).
      for (const entry of await worktreeParents(tmp)) expect(await readdir(path.join(tmp, entry)), entry).toEqual([]);
    }
    console.info(
      `promote-sigkill.test.ts: a run's steps ${full.events.join(', ')}; kills aimed at steps ${first}..${last}, landed ${JSON.stringify(landings)}`,
    );
    expect(landings['before pushing'] + landings['pushed, no pull request yet']).toBeGreaterThan(0);
  });
});
