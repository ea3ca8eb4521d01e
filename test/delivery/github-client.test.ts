import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { GitHubClient } from '../../src/delivery/github-client.ts';
import { clientOf, EXAMPLE_REPOSITORY, startGitHub } from '../support/fake-github.ts';

const repository = { owner: 'example-org', name: 'checkout' };

async function setup() {
  const fake = await startGitHub();
  return { fake, client: clientOf(fake) };
}

describe('GitHubClient', () => {
  it('sends the token, and says when GitHub answers something cut or garbled', async () => {
    const { fake, client } = await setup();
    await client.getRepository(repository);
    expect(fake.requests[0]?.headers.authorization).toBe(`token ${fake.token}`);
    fake.faults.inject({ kind: 'truncated-body' }, { times: 1 });
    await expect(client.getRepository(repository)).rejects.toThrow(
      `GitHub API: GET /repos/${EXAMPLE_REPOSITORY} answered something that is not a pull request or repository (a cut or garbled reply?). Run again.`,
    );
  });

  it('gives up on a request that hangs, naming the API it could not reach', async () => {
    const { fake } = await setup();
    const impatient = new GitHubClient({ token: fake.token, apiUrl: fake.url, requestTimeoutMs: 100, retries: 0 });
    fake.faults.inject({ kind: 'slow', delayMs: 2_000 }, { times: 1 });
    await expect(impatient.getRepository(repository)).rejects.toThrow(
      `GitHub API ${fake.url}: GET /repos/${EXAMPLE_REPOSITORY} failed: no answer in time. Check GITHUB_API_URL and the network, then run again.`,
    );
  });

  it('says when the API cannot be reached at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = new GitHubClient({ token: 't', apiUrl: `http://127.0.0.1:${port}`, retries: 0 });
    await expect(unreachable.getRepository(repository)).rejects.toThrow(
      `GitHub API http://127.0.0.1:${port}: GET /repos/example-org/checkout failed: connection refused. Check GITHUB_API_URL and the network, then run again.`,
    );
  });
});
