import { generateKeyPairSync } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../plugin-server/clock.ts';
import { createGitHubClient } from '../../plugin-server/github/client.ts';
import { GitHubPullRequestSource } from '../../plugin-server/github/pull-request-source.ts';
import type { FakeGitHub } from '../fake-github/index.ts';
import { startGitHub } from '../support/fake-github.ts';

let fake: FakeGitHub;
beforeEach(async () => {
  fake = await startGitHub('acme/shop');
});

it('lists pull requests as a GitHub App installation (GITHUB_APP_* credentials), reusing its installation token', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fake.apps.register(4242, 99, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  fake.openPullRequest('acme/shop');
  const clock = new ManualClock();
  const source = new GitHubPullRequestSource({
    clock,
    octokit: createGitHubClient({
      apiUrl: fake.url,
      credentials: {
        kind: 'app',
        appId: 4242,
        installationId: 99,
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    }),
  });
  expect((await source.listOpenPullRequests('acme/shop')).pullRequests.map((p) => p.number)).toEqual([1]);
  clock.advance(1_000);
  expect((await source.listOpenPullRequests('acme/shop')).source).toBe('revalidated');
  expect(fake.apps.issuedTokens).toHaveLength(1);
  const listing = fake.requests.filter((r) => r.path === '/repos/acme/shop/pulls');
  expect(listing.every((r) => r.headers.authorization === `token ${fake.apps.issuedTokens[0]}`)).toBe(true);
});
