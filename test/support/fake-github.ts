/** The stateful fake GitHub for tests: one repository (by default the example's), closed and checked after each test. */
import { expect } from 'vitest';
import { GitHubClient } from '../../src/delivery/github-client.ts';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fake-github/index.ts';
import { afterEveryTest } from './after-each.ts';

/** The repository dynenv.yaml of the bundled example names (repository.url). */
export const EXAMPLE_REPOSITORY = 'example-org/checkout';

const running: FakeGitHub[] = [];
afterEveryTest(async () => {
  const fakes = running.splice(0);
  await Promise.all(fakes.map((fake) => fake.close()));
  // A response GitHub's OpenAPI description would not allow is a bug in the fake, and voids the test.
  for (const fake of fakes) expect(fake.schemaViolations).toEqual([]);
});

/** A fake GitHub on loopback that knows `repository`; closed (and checked) after the test. */
export async function startGitHub(repository: string = EXAMPLE_REPOSITORY, options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const fake = await startFakeGitHub(options);
  fake.createRepository(repository);
  running.push(fake);
  return fake;
}

/** What a delivery command needs to reach `fake`: the environment, and retries that do not wait. */
export function gitHubSettings(fake: FakeGitHub) {
  return {
    env: { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url },
    client: { retryAfterBaseValueMs: 1, requestTimeoutMs: 5_000 },
  };
}

/** The writes (anything but GET) the fake received. */
export function writes(fake: FakeGitHub) {
  return fake.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);
}

/** A GitHub client of `fake`, whose retries do not wait. */
export function clientOf(fake: FakeGitHub): GitHubClient {
  return new GitHubClient({ token: fake.token, apiUrl: fake.url, retryAfterBaseValueMs: 1 });
}
