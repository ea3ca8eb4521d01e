/**
 * Every fault the fake GitHub can inject, as the fault tests use them: each persists until cleared (retries
 * included), and says what the server answers when it has no last good listing to fall back on.
 */
import type { Fault, FaultMatch } from '../fake-github/index.ts';

export interface FaultCase {
  readonly name: string;
  readonly fault: Fault;
  readonly match?: FaultMatch;
  /** The answer when there is no last good listing to fall back on. */
  readonly cold: { status: number; code: string; message: RegExp };
}

export const FAULTS: readonly FaultCase[] = [
  {
    name: '5xx',
    fault: { kind: 'server-error', status: 502 },
    cold: { status: 503, code: 'GITHUB_UNAVAILABLE', message: /^GitHub failed \(502\): Server Error/ },
  },
  { name: '503', fault: { kind: 'server-error', status: 503 }, cold: { status: 503, code: 'GITHUB_UNAVAILABLE', message: /^GitHub failed \(503\)/ } },
  {
    name: '403 with x-ratelimit-remaining: 0',
    fault: { kind: 'rate-limit' },
    cold: { status: 503, code: 'GITHUB_RATE_LIMITED', message: /^GitHub's rate limit is spent until \d{4}-/ },
  },
  {
    name: '429 with retry-after',
    fault: { kind: 'secondary-rate-limit', retryAfterSeconds: 60 },
    cold: { status: 503, code: 'GITHUB_RATE_LIMITED', message: /^GitHub's rate limit is spent .*\(429\)/ },
  },
  {
    name: 'a slow answer (past the deadline)',
    fault: { kind: 'slow', delayMs: 3_000 },
    cold: { status: 503, code: 'GITHUB_UNAVAILABLE', message: /did not finish listing acme\/shop's pull requests in time/ },
  },
  {
    name: 'a truncated body',
    fault: { kind: 'truncated-body' },
    cold: { status: 503, code: 'GITHUB_UNAVAILABLE', message: /a body that is not JSON \(truncated\?\)/ },
  },
  { name: 'a connection reset', fault: { kind: 'connection-reset' }, cold: { status: 503, code: 'GITHUB_UNAVAILABLE', message: /^could not reach GitHub/ } },
  {
    name: 'a connection reset mid-body',
    fault: { kind: 'connection-reset', afterHeaders: true },
    cold: { status: 503, code: 'GITHUB_UNAVAILABLE', message: /not JSON \(truncated\?\)/ },
  },
  {
    name: '401 bad credentials',
    fault: { kind: 'bad-credentials' },
    cold: { status: 502, code: 'GITHUB_CREDENTIALS_REJECTED', message: /^GitHub rejected the server's credentials \(401: Bad credentials/ },
  },
  {
    name: '404 repository',
    fault: { kind: 'not-found' },
    cold: { status: 404, code: 'REPOSITORY_NOT_FOUND', message: /^GitHub has no repository acme\/shop, or the server's credentials cannot see it/ },
  },
  {
    name: 'a page failing mid-pagination',
    fault: { kind: 'server-error', status: 500 },
    match: { page: 2 },
    cold: { status: 503, code: 'GITHUB_UNAVAILABLE', message: /^GitHub failed \(500\)/ },
  },
];
