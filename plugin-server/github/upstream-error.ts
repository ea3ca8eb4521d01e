/**
 * Why a listing failed upstream, in the few kinds that decide the answer: each becomes a non-2xx reply (Argo CD
 * keeps the Applications), or a last-known-good answer while one is fresh enough.
 */
import { classifyGitHubFailure } from '../../contract/github-client.ts';
import { PluginError } from '../errors.ts';

export type UpstreamFailureKind = 'not-found' | 'unauthorized' | 'forbidden' | 'rate-limited' | 'timeout' | 'unavailable' | 'invalid-response' | 'unstable';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    /** GitHub's status, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** The reply when there is no last good listing to fall back on. */
  toPluginError(): PluginError {
    switch (this.kind) {
      case 'not-found':
        return new PluginError('REPOSITORY_NOT_FOUND', this.message);
      case 'unauthorized':
      case 'forbidden':
        return new PluginError('GITHUB_CREDENTIALS_REJECTED', this.message);
      case 'rate-limited':
        return new PluginError('GITHUB_RATE_LIMITED', this.message);
      default:
        return new PluginError('GITHUB_UNAVAILABLE', this.message);
    }
  }
}

/** Classifies whatever a listing threw. Messages never carry credentials (Octokit redacts its own). */
export function classifyUpstreamError(error: unknown, repository: string): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const failure = classifyGitHubFailure(error);
  const { status } = failure;
  const said = failure.said ? `: ${failure.said}` : '';
  switch (failure.kind) {
    case 'timeout':
      return new UpstreamError('timeout', `GitHub did not finish listing ${repository}'s pull requests in time`);
    case 'not-found':
      return new UpstreamError('not-found', `GitHub has no repository ${repository}, or the server's credentials cannot see it (404)`, 404);
    case 'unauthorized':
      return new UpstreamError('unauthorized', `GitHub rejected the server's credentials (401${said}): check GITHUB_TOKEN or the GitHub App`, 401);
    case 'rate-limited': {
      const when = failure.rateLimitResetsAt ? ` until ${failure.rateLimitResetsAt.toISOString()}` : '';
      return new UpstreamError('rate-limited', `GitHub's rate limit is spent${when} (${status})`, status);
    }
    case 'forbidden':
      return new UpstreamError('forbidden', `GitHub refused access to ${repository} (403${said}): check the credentials' permissions`, 403);
    case 'network':
      return new UpstreamError('unavailable', `could not reach GitHub${said}`);
    case 'refused':
      return new UpstreamError('unavailable', `GitHub failed${status ? ` (${status})` : ''}${said}`, status);
  }
}
