/**
 * The fake GitHub REST API on loopback: real HTTP, GitHub's status codes, headers and JSON (validated against the
 * official OpenAPI description), conditional requests with ETags, a rate limit that 304s do not spend, and fault
 * injection. Tests drive it through its programmatic API (inherited from FakeGitHubState: open, close, label,
 * push...; `faults`; `counters`; `requests`).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../plugin-server/clock.ts';
import { FakeAppAuthority } from './app-auth.ts';
import { FaultInjector, faultAnswer, rateLimitResponse, type Fault } from './faults.ts';
import { requestBodyProblems, responseProblems } from './openapi.ts';
import { basicError } from './resources.ts';
import { LIST_PULLS, operationOf, routeRestRequest, type RestResponse } from './routes.ts';
import { FakeGitHubState } from './state.ts';

export interface FakeGitHubOptions {
  /** Tokens the fake accepts (`Authorization: token <t>` or `Bearer <t>`). @default ['fake-github-token'] */
  tokens?: string[];
  /** Base of `html_url`s. @default 'https://github.com' */
  webUrl?: string;
  /** Requests an hour that the rate limit allows. @default 5000 */
  rateLimit?: number;
  /**
   * What a `slow` fault's delay elapses on: give it the ManualClock of the server under test, and a slow answer
   * is held until the test moves that clock. @default the system clock
   */
  clock?: Clock;
  /** Called when a `slow` fault starts holding a request for `heldMs` (e.g. to let the test's clock run). */
  onHold?: (request: RecordedRequest, heldMs: number) => void;
  /** Login of the account every accepted token acts as (deployments' creator, comments' author). @default 'dynenv-bot' */
  tokenLogin?: string;
}

/** One request the fake received, and what it did with it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** The status answered, or `reset` when the connection was dropped. */
  status: number | 'reset';
  /** Sent with `If-None-Match`. */
  readonly conditional: boolean;
  /** Spent rate limit: everything but a 304 (and a dropped connection). */
  counted: boolean;
  /** The injected fault that hit it, if any. */
  fault: Fault['kind'] | undefined;
}

export interface RequestCounters {
  /** Requests received. */
  readonly total: number;
  /** Requests that spent rate limit (GitHub bills every answer but a 304). */
  readonly counted: number;
  /** Conditional requests answered 304 Not Modified (free). */
  readonly notModified: number;
  /** Connections dropped by a fault. */
  readonly reset: number;
}

export const DEFAULT_FAKE_TOKEN = 'fake-github-token';

export class FakeGitHub extends FakeGitHubState {
  readonly faults = new FaultInjector();
  readonly apps = new FakeAppAuthority();
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /** The requests a `slow` fault is holding right now. */
  readonly heldRequests: RecordedRequest[] = [];
  /** Responses that did not match GitHub's OpenAPI description (a bug in the fake; tests assert it stays empty). */
  readonly schemaViolations: string[] = [];
  /** The first accepted token. */
  readonly token: string;
  readonly rateLimit: { limit: number; remaining: number; resetEpochSeconds: number };
  private readonly tokens: Set<string>;
  /** Base of `html_url`s. */
  readonly webUrl: string;
  private readonly server: Server;
  private readonly closing = new AbortController();
  private readonly clock: Clock;
  private readonly onHold: ((request: RecordedRequest, heldMs: number) => void) | undefined;
  private readonly requestHooks: Array<(request: RecordedRequest) => void> = [];
  // A page of 100 pull requests is about a megabyte of JSON, as on GitHub: render it once per state version,
  // so that a benchmark measures the plugin server rather than the fake.
  private readonly rendered = new Map<string, Rendered & { readonly version: number }>();
  private baseUrl = '';
  /** The account the accepted tokens act as. */
  readonly tokenUser;

  constructor(options: FakeGitHubOptions = {}) {
    super();
    this.tokenUser = this.user(options.tokenLogin ?? 'dynenv-bot');
    const tokens = options.tokens ?? [DEFAULT_FAKE_TOKEN];
    this.token = tokens[0] ?? DEFAULT_FAKE_TOKEN;
    this.tokens = new Set(tokens);
    this.webUrl = options.webUrl ?? 'https://github.com';
    this.clock = options.clock ?? systemClock;
    this.onHold = options.onHold;
    const limit = options.rateLimit ?? 5000;
    this.rateLimit = { limit, remaining: limit, resetEpochSeconds: Math.floor(Date.now() / 1000) + 3600 };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.schemaViolations.push(`fake GitHub crashed: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  /** Base URL of the API, e.g. `http://127.0.0.1:41234` (give it to Octokit as `baseUrl`). */
  get url(): string {
    return this.baseUrl;
  }

  get counters(): RequestCounters {
    return {
      total: this.requests.length,
      counted: this.requests.filter((r) => r.counted).length,
      notModified: this.requests.filter((r) => r.status === 304).length,
      reset: this.requests.filter((r) => r.status === 'reset').length,
    };
  }

  /**
   * Runs `hook` on every request before it is answered, to change the state at a precise moment (a pull request
   * closed between two pages of one listing). Returns a function that removes the hook.
   */
  onRequest(hook: (request: RecordedRequest) => void): () => void {
    this.requestHooks.push(hook);
    return () => {
      const index = this.requestHooks.indexOf(hook);
      if (index >= 0) this.requestHooks.splice(index, 1);
    };
  }

  /** Forgets the recorded requests (the counters start again from zero). */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Accepts another token from now on. */
  acceptToken(token: string): void {
    this.tokens.add(token);
  }

  /** Rejects a token from now on (401 Bad credentials), as when it is revoked. */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.closing.abort();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    const rawBody = await readBody(req);
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = rawBody;
    }
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      status: 0,
      conditional: req.headers['if-none-match'] !== undefined,
      counted: false,
      fault: undefined,
    };
    this.requests.push(record);
    for (const hook of [...this.requestHooks]) hook(record);

    const fault = this.faults.take(method, url.pathname, Number(url.searchParams.get('page') ?? 1) || 1);
    record.fault = fault?.kind;
    if (fault?.kind === 'slow') await this.hold(record, fault.delayMs);
    if (fault?.kind === 'connection-reset' && !fault.afterHeaders) {
      record.status = 'reset';
      req.socket.destroy();
      return;
    }
    const answer = faultResponse(fault) ?? this.render(method, url, req.headers.authorization, body);
    const { response, json, etag } = answer;
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `FAKE:${this.requests.length}`,
      ...response.headers,
    };
    let status = response.status;
    if (etag !== undefined) {
      // GitHub's ETags are weak validators of the body; Vary means they are per token.
      headers.etag = etag;
      headers.vary = 'Accept, Authorization, Cookie, X-GitHub-OTP';
      if (etagMatches(req.headers['if-none-match'], etag)) status = 304;
    }
    record.status = status;
    record.counted = status !== 304;
    if (record.counted) this.rateLimit.remaining = Math.max(0, this.rateLimit.remaining - 1);
    Object.assign(headers, this.rateLimitHeaders(response.headers));

    if (status === 304) {
      delete headers['content-type'];
      res.writeHead(304, headers).end();
      return;
    }
    for (const problem of problemsOf(answer, this.baseUrl)) {
      this.schemaViolations.push(`${method} ${url.pathname} → ${status}: ${problem}`);
    }
    const payload = Buffer.from(json ?? '');
    if (fault?.kind === 'truncated-body') {
      const half = payload.subarray(0, Math.floor(payload.length / 2));
      res.writeHead(status, { ...headers, 'content-length': String(half.length) }).end(half);
      return;
    }
    if (fault?.kind === 'connection-reset') {
      record.status = 'reset';
      res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
      return;
    }
    res.writeHead(status, { ...headers, 'content-length': String(payload.length) }).end(payload);
  }

  /** Holds `record` for `ms` on the fake's clock, or until the fake closes. */
  private async hold(record: RecordedRequest, ms: number): Promise<void> {
    this.heldRequests.push(record);
    const elapsed = this.clock.sleep(ms, this.closing.signal);
    this.onHold?.(record, ms);
    await elapsed;
    this.heldRequests.splice(this.heldRequests.indexOf(record), 1);
  }

  /** The answer, its JSON, and an ETag for a successful GET; reused while the state has not changed. */
  private render(method: string, url: URL, authorization: string | undefined, body: unknown): Rendered {
    const key = `${method} ${url.pathname}${url.search}`;
    const authorised = this.answerUnauthorised(url, authorization);
    if (authorised) return rendered(authorised, method);
    const cached = this.rendered.get(key);
    if (method === 'GET' && cached?.version === this.version) return cached;
    const answer = rendered(this.answer(method, url, body), method);
    if (answer.etag !== undefined) this.rendered.set(key, { version: this.version, ...answer });
    return answer;
  }

  /** The 401 for a request without valid credentials (or the app-token answer), else undefined. */
  private answerUnauthorised(url: URL, authorization: string | undefined): RestResponse | undefined {
    const appToken = this.apps.createInstallationToken(url.pathname, authorization, this.now(), (token) => this.acceptToken(token));
    if (appToken) return appToken;
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) {
      return { status: 401, body: basicError(token ? 'Bad credentials' : 'Requires authentication') };
    }
    if (this.rateLimit.remaining <= 0) return rateLimitResponse();
    return undefined;
  }

  private answer(method: string, url: URL, body: unknown): RestResponse {
    // Refuse (422, as GitHub does) a request body GitHub's description would not accept, before acting on it.
    const operation = operationOf(method, url.pathname);
    if (operation && (method === 'POST' || method === 'PATCH')) {
      const problems = requestBodyProblems(operation, body);
      if (problems.length > 0) {
        const errors = problems.map((message) => ({ resource: 'PullRequest', code: 'invalid', message }));
        return { status: 422, body: { ...basicError('Validation Failed'), errors }, operation };
      }
    }
    return routeRestRequest(
      this,
      { api: this.baseUrl, web: this.webUrl },
      {
        method,
        path: url.pathname,
        query: url.searchParams,
        body,
        user: this.tokenUser,
      },
    );
  }

  private rateLimitHeaders(overrides: Readonly<Record<string, string>> | undefined): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.rateLimit.limit),
      'x-ratelimit-remaining': String(this.rateLimit.remaining),
      'x-ratelimit-reset': String(this.rateLimit.resetEpochSeconds),
      'x-ratelimit-used': String(this.rateLimit.limit - this.rateLimit.remaining),
      'x-ratelimit-resource': 'core',
      ...overrides,
    };
  }
}

/** Starts a fake GitHub on 127.0.0.1 and an ephemeral port. Close it after the test. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const fake = new FakeGitHub(options);
  // Load GitHub's description and compile the pulls-list schema now, not inside the first timed request.
  responseProblems(LIST_PULLS, 200, []);
  await fake.listen();
  return fake;
}

interface Rendered {
  readonly response: RestResponse;
  readonly json: string | undefined;
  /** Set for a successful GET: what a conditional request is compared with. */
  readonly etag: string | undefined;
}

function rendered(response: RestResponse, method = 'GET'): Rendered {
  const json = response.body === undefined ? undefined : JSON.stringify(response.body);
  const etag = method === 'GET' && response.status === 200 && json !== undefined ? `W/"${createHash('sha256').update(json).digest('hex')}"` : undefined;
  return { response, json, etag };
}

/**
 * What GitHub's description finds wrong with a rendered answer. An answer is immutable and re-sent while the state
 * has not changed, so it is checked once: checking every copy sent was a tenth of the plugin-server tests' time.
 * A successful GET is also remembered across fakes, by its operation and its exact JSON with the fake's own base
 * URL (the one part that differs from fake to fake: its port) set aside: the tests that start a fake per case list
 * the same pull requests case after case, and the same bytes get the same verdict.
 */
const problemsOfAnswer = new WeakMap<Rendered, readonly string[]>();
const problemsOfBody = new Map<string, readonly string[]>();
/** Past this many remembered bodies the memory is emptied: a worker runs many files. */
const REMEMBERED_BODIES = 5_000;
function problemsOf(answer: Rendered, baseUrl: string): readonly string[] {
  let problems = problemsOfAnswer.get(answer);
  if (problems !== undefined) return problems;
  const { operation, status, body } = answer.response;
  const bodyKey =
    answer.etag === undefined || operation === undefined || answer.json === undefined
      ? undefined
      : `${operation.method} ${operation.path} ${createHash('sha256').update(answer.json.replaceAll(baseUrl, 'http://fake-github')).digest('hex')}`;
  problems = bodyKey === undefined ? undefined : problemsOfBody.get(bodyKey);
  if (problems === undefined) {
    problems = responseProblems(operation, status, body);
    if (bodyKey !== undefined) {
      if (problemsOfBody.size >= REMEMBERED_BODIES) problemsOfBody.clear();
      problemsOfBody.set(bodyKey, problems);
    }
  }
  problemsOfAnswer.set(answer, problems);
  return problems;
}

function faultResponse(fault: Fault | undefined): Rendered | undefined {
  const response = faultAnswer(fault);
  return response ? rendered(response) : undefined;
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim() === '*' || opaque(candidate) === opaque(etag));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
