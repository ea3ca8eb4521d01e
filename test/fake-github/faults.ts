/**
 * Fault injection for the fake GitHub: each rule says what goes wrong, for which requests, and how many times.
 * Rules are tried in the order they were added; the first that matches and has uses left applies.
 */
import { basicError } from './resources.ts';
import type { RestResponse } from './routes.ts';

/** What goes wrong. */
export type Fault =
  /** A 5xx with GitHub's JSON error body. */
  | { readonly kind: 'server-error'; readonly status?: 500 | 502 | 503 | 504 }
  /** 403 with `x-ratelimit-remaining: 0`: the primary rate limit is spent until `x-ratelimit-reset`. */
  | { readonly kind: 'rate-limit'; readonly resetInSeconds?: number }
  /** 429 with `retry-after`: a secondary rate limit. */
  | { readonly kind: 'secondary-rate-limit'; readonly retryAfterSeconds?: number }
  /** The normal answer, `delayMs` late. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** The normal status and headers, and only the first half of the JSON body (well framed, so it parses as cut JSON). */
  | { readonly kind: 'truncated-body' }
  /** The socket is destroyed: before any byte by default, or after the headers and half the body. */
  | { readonly kind: 'connection-reset'; readonly afterHeaders?: boolean }
  /** 401 Bad credentials. */
  | { readonly kind: 'bad-credentials' }
  /** 404 Not Found, as for a repository that does not exist or that the token cannot see. */
  | { readonly kind: 'not-found' };

/** Which requests a rule applies to; every given field must match. */
export interface FaultMatch {
  /** e.g. `GET` */
  readonly method?: string;
  /** The URL path, exactly or by pattern (e.g. `/repos/acme/shop/pulls` or `/pulls$/`). */
  readonly path?: string | RegExp;
  /** The `page` query parameter (1 when absent). */
  readonly page?: number;
}

export interface FaultRule {
  readonly fault: Fault;
  readonly match: FaultMatch;
  /** Uses left; Infinity until removed. */
  remaining: number;
  /** How many requests it has hit. */
  hits: number;
  /** Stops the rule from applying again. */
  remove(): void;
}

export class FaultInjector {
  private rules: FaultRule[] = [];

  /**
   * Adds a rule.
   * @param options.match which requests. @default every request
   * @param options.times how many matching requests it hits. @default Infinity (until removed or cleared)
   */
  inject(fault: Fault, options: { match?: FaultMatch; times?: number } = {}): FaultRule {
    const rule: FaultRule = {
      fault,
      match: options.match ?? {},
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      hits: 0,
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
    this.rules.push(rule);
    return rule;
  }

  /** Removes every rule: GitHub is healthy again. */
  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if a rule applies (and uses it up once). */
  take(method: string, path: string, page: number): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && matches(r.match, method, path, page));
    if (!rule) return undefined;
    rule.remaining -= 1;
    rule.hits += 1;
    return rule.fault;
  }
}

function matches(match: FaultMatch, method: string, path: string, page: number): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  if (match.page !== undefined && match.page !== page) return false;
  if (typeof match.path === 'string' && match.path !== path) return false;
  if (match.path instanceof RegExp && !match.path.test(path)) return false;
  return true;
}

/** GitHub's answer for a fault that replaces the answer (the others delay, cut or drop the normal one). */
export function faultAnswer(fault: Fault | undefined): RestResponse | undefined {
  switch (fault?.kind) {
    case 'server-error':
      return { status: fault.status ?? 502, body: basicError('Server Error') };
    case 'rate-limit':
      return rateLimitResponse(fault.resetInSeconds);
    case 'secondary-rate-limit':
      return {
        status: 429,
        body: basicError('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'),
        headers: { 'retry-after': String(fault.retryAfterSeconds ?? 60) },
      };
    case 'bad-credentials':
      return { status: 401, body: basicError('Bad credentials') };
    case 'not-found':
      return { status: 404, body: basicError('Not Found') };
    default:
      return undefined;
  }
}

/** GitHub's answer once the primary rate limit is spent. */
export function rateLimitResponse(resetInSeconds = 3600): RestResponse {
  return {
    status: 403,
    body: basicError("API rate limit exceeded for user ID 1000. (But here's the good news: Authenticated requests get a higher rate limit.)"),
    headers: {
      'x-ratelimit-remaining': '0',
      // Real seconds: clients compute how long to wait from their own clock.
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
    },
  };
}
