import { describe, expect, it } from 'vitest';
import { openOrUpdatePullRequest } from '../../src/delivery/pull-request.ts';
import { clientOf, EXAMPLE_REPOSITORY, startGitHub, writes } from '../support/fake-github.ts';

const repository = { owner: 'example-org', name: 'checkout' };
const content = { title: 'Promote api to prod', body: 'Promotes api.', base: 'main' };

async function setup() {
  const fake = await startGitHub();
  return { fake, client: clientOf(fake) };
}

describe('openOrUpdatePullRequest', () => {
  it('opens one, leaves it alone when it says the same, and updates it when it does not', async () => {
    const { fake, client } = await setup();
    const opened = await openOrUpdatePullRequest(client, repository, 'promote/prod/api', content, undefined);
    expect(opened).toMatchObject({ outcome: 'opened', pull: { number: 1, ...content } });

    const found = await client.findOpenPullRequest(repository, 'promote/prod/api');
    expect(await openOrUpdatePullRequest(client, repository, 'promote/prod/api', content, found)).toMatchObject({ outcome: 'unchanged' });
    const changed = { ...content, body: 'Promotes api, again.' };
    expect(await openOrUpdatePullRequest(client, repository, 'promote/prod/api', changed, found)).toMatchObject({ outcome: 'updated' });
    expect(fake.pull(EXAMPLE_REPOSITORY, 1).body).toBe('Promotes api, again.');
    expect(writes(fake)).toEqual([`POST /repos/${EXAMPLE_REPOSITORY}/pulls`, `PATCH /repos/${EXAMPLE_REPOSITORY}/pulls/1`]);
  });

  it('updates the one another run opened in between (GitHub answers 422 "A pull request already exists")', async () => {
    const { fake, client } = await setup();
    fake.openPullRequest(EXAMPLE_REPOSITORY, { head: 'promote/prod/api', title: 'Opened by a concurrent run', author: 'example-org' });
    const result = await openOrUpdatePullRequest(client, repository, 'promote/prod/api', content, undefined);
    expect(result).toMatchObject({ outcome: 'updated', pull: { number: 1, title: content.title } });
    expect(fake.requests.map((request) => `${request.method} ${request.status}`)).toEqual(['POST 422', 'GET 200', 'PATCH 200']);
    expect(fake.repository(EXAMPLE_REPOSITORY)!.pulls.size).toBe(1);
  });

  it('does not mistake a closed pull request of the same branch for the open one', async () => {
    const { fake, client } = await setup();
    fake.closePullRequest(EXAMPLE_REPOSITORY, fake.openPullRequest(EXAMPLE_REPOSITORY, { head: 'promote/prod/api', author: 'example-org' }).number);
    expect(await client.findOpenPullRequest(repository, 'promote/prod/api')).toBeUndefined();
    expect(await openOrUpdatePullRequest(client, repository, 'promote/prod/api', content, undefined)).toMatchObject({ outcome: 'opened', pull: { number: 2 } });
  });
});
