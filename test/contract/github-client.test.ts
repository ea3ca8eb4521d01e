/** What the one reading of GitHub's failures makes of each kind of answer (both halves act on it). */
import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { classifyGitHubFailure, createGitHubOctokit } from '../../contract/github-client.ts';

const request = { method: 'GET' as const, url: 'https://api.github.com/repos/acme/shop/pulls', headers: {} };

function answered(status: number, data: unknown, headers: Record<string, string> = {}): RequestError {
  return new RequestError('GitHub said no', status, { request, response: { status, url: request.url, headers, data } });
}

describe('classifyGitHubFailure', () => {
  it.each([
    [401, {}, 'unauthorized'],
    [403, {}, 'forbidden'],
    [403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1767225600' }, 'rate-limited'],
    [429, {}, 'rate-limited'],
    [404, {}, 'not-found'],
    [422, {}, 'refused'],
    [502, {}, 'refused'],
  ] as const)('an answer %i %o is %s', (status, headers, kind) => {
    expect(classifyGitHubFailure(answered(status, { message: 'Bad' }, headers))).toMatchObject({ kind, status });
  });

  it("joins GitHub's message and its errors, and reads when the rate limit resets", () => {
    const failure = classifyGitHubFailure(
      answered(403, { message: 'API rate limit exceeded', errors: [{ message: 'for user 1' }, 'retry later'] }, { 'x-ratelimit-reset': '1767225600' }),
    );
    expect(failure).toEqual({
      kind: 'rate-limited',
      status: 403,
      said: 'API rate limit exceeded: for user 1: retry later',
      rateLimitResetsAt: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('tells a failure before any answer from a deadline', () => {
    const reset = new RequestError('read ECONNRESET', 500, { request });
    expect(classifyGitHubFailure(reset)).toMatchObject({ kind: 'network', status: undefined, said: 'read ECONNRESET' });
    const timedOut = new RequestError('The operation was aborted due to timeout', 500, { request, cause: new DOMException('timeout', 'TimeoutError') });
    expect(classifyGitHubFailure(timedOut)).toMatchObject({ kind: 'timeout' });
    expect(classifyGitHubFailure(new DOMException('aborted', 'AbortError'))).toMatchObject({ kind: 'timeout' });
    expect(classifyGitHubFailure('not an error')).toMatchObject({ kind: 'network', said: 'not an error' });
  });
});

describe("the client's reading of GitHub's answers", () => {
  /** A client whose every request is answered with `body` as `contentType` (no network). */
  const answering = (body: string, contentType: string) =>
    createGitHubOctokit({
      apiUrl: 'https://api.github.com',
      auth: { kind: 'token', token: 't' },
      userAgent: 'dynenv-test',
      maxRateLimitWaitSeconds: 0,
      fetch: async () => new Response(body, { status: 200, headers: { 'content-type': contentType } }),
    });

  it('parses JSON bodies into values, every number a Number (a BigInt would break JSON.stringify of what is cached or logged)', async () => {
    const { data } = await answering(
      '[{"number":7,"id":4000000001,"node_id":12345678901234567890,"title":"Ünïcode ✓","draft":false}]',
      'application/json; charset=utf-8',
    ).rest.pulls.list({
      owner: 'acme',
      repo: 'shop',
    });
    expect(data).toEqual([{ number: 7, id: 4_000_000_001, node_id: expect.any(Number), title: 'Ünïcode ✓', draft: false }]);
    expect(() => JSON.stringify(data)).not.toThrow();
  });

  it('keeps what does not parse as the text GitHub sent, as @octokit/request does, and text as text', async () => {
    const truncated = await answering('[{"number":7,"ti', 'application/json').request('GET /repos/{owner}/{repo}/pulls', { owner: 'acme', repo: 'shop' });
    expect(truncated.data).toBe('[{"number":7,"ti');
    const text = await answering('diff --git a/x b/x', 'text/plain; charset=utf-8').request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: 'acme',
      repo: 'shop',
      pull_number: 7,
    });
    expect(text.data).toBe('diff --git a/x b/x');
  });
});
