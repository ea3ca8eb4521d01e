/** Delivers GitHub `pull_request` webhook events to a harness's server, signed as GitHub signs them. */
import { sign } from '@octokit/webhooks-methods';
import { expect } from 'vitest';
import type { PullRequestEvent } from '../support/preview-world.ts';
import { WEBHOOK_SECRET, type Harness } from './harness.ts';

/** Sends `event` through inject() and checks that the server took it (200: the repository's listing invalidated). */
export async function deliverPullRequestEvent(harness: Pick<Harness, 'app'>, event: PullRequestEvent): Promise<void> {
  const body = JSON.stringify({
    action: event.action,
    number: event.number,
    repository: { full_name: event.repository },
    pull_request: { number: event.number },
  });
  const response = await harness.app.inject({
    method: 'POST',
    url: '/api/v1/webhook/github',
    headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': await sign(WEBHOOK_SECRET, body) },
    payload: body,
  });
  expect(response.statusCode).toBe(200);
}
