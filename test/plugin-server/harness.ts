/**
 * A plugin server wired to a fake GitHub on loopback, with a clock the test moves and every log line captured.
 * The server's clock decides coalescing, last-known-good age, the listing deadline and Octokit's waits, and the
 * fake's slow answers elapse on it too: a test that wants a new check with GitHub moves it past the revalidation
 * interval (`poll()` does); nothing waits for real time, so a loaded machine changes no outcome.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../plugin-server/app.ts';
import { ManualClock } from '../../plugin-server/clock.ts';
import { createControllerNotice } from '../../plugin-server/controller-notice.ts';
import { createGitHubClient } from '../../plugin-server/github/client.ts';
import { GitHubPullRequestSource } from '../../plugin-server/github/pull-request-source.ts';
import { PluginMetrics } from '../../plugin-server/metrics.ts';
import type { ParameterSet } from '../../contract/plugin-parameters.ts';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.ts';
import { timePassesWhileHeld } from '../support/simulated-time.ts';

export const PLUGIN_TOKEN = 'plugin-token-0123456789abcdef';
export const WEBHOOK_SECRET = 'webhook-secret-fedcba9876543210';
export const REVALIDATE_INTERVAL_MS = 1000;

export interface HarnessOptions {
  /** @default ['acme/shop'] (created in the fake too) */
  repositories?: string[];
  /** Allowed repositories the fake does not have. @default [] */
  missingOnGitHub?: string[];
  /** @default WEBHOOK_SECRET */
  webhookSecret?: string | undefined;
  /** @default '' */
  basePath?: string;
  /** DYNENV_WEBHOOK_PATH. @default the server's default */
  webhookPath?: string;
  /** @default 600_000 */
  lastKnownGoodMaxAgeMs?: number;
  /** The listing deadline, on the clock. @default 5_000 */
  timeoutMs?: number;
  /** Octokit's back-off unit, on the clock. @default 0 (retries do not wait; tests of the waits set it) */
  retryAfterBaseValueMs?: number;
  /**
   * When the fake holds a slow answer, let the clock run to the listing's deadline (or to the answer, if that
   * comes first), as time passes while the server waits: for tests that treat a slow GitHub like any other
   * fault. Otherwise a slow answer is held until the test moves the clock. @default false
   */
  timePassesWhileGitHubHolds?: boolean;
  /** The controller the webhook's re-list is reported to (DYNENV_CONTROLLER_URL). @default none */
  controllerUrl?: string;
}

export interface Harness {
  readonly fake: FakeGitHub;
  readonly app: FastifyInstance;
  readonly clock: ManualClock;
  readonly metrics: PluginMetrics;
  readonly source: GitHubPullRequestSource;
  /** Every log line the server wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Every log line as written (for redaction checks). */
  readonly rawLogs: string[];
  /** POST getparams with the plugin token through inject(). */
  getParams(parameters?: Record<string, unknown>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Moves the clock past the revalidation interval, then calls getParams: one poll as Argo CD makes it. */
  poll(parameters?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const repositories = options.repositories ?? ['acme/shop'];
  const timeoutMs = options.timeoutMs ?? 5_000;
  // The fake's own clock (timestamps of pull requests) starts at the same instant.
  const clock = new ManualClock(Date.parse('2025-01-01T00:00:00Z'));
  const fake = await startFakeGitHub({
    clock,
    ...(options.timePassesWhileGitHubHolds ? { onHold: timePassesWhileHeld(clock, timeoutMs) } : {}),
  });
  for (const repository of repositories) {
    if (!options.missingOnGitHub?.includes(repository)) fake.createRepository(repository);
  }
  const metrics = new PluginMetrics();
  const rawLogs: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const stream = {
    write(line: string) {
      rawLogs.push(line);
      logs.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  const octokit = createGitHubClient({
    apiUrl: fake.url,
    credentials: { kind: 'token', token: fake.token },
    metrics,
    clock,
    retryAfterBaseValueMs: options.retryAfterBaseValueMs ?? 0,
    logger: {
      warn: (object, message) => stream.write(`${JSON.stringify({ level: 40, ...object, msg: message })}\n`),
      debug: (object, message) => stream.write(`${JSON.stringify({ level: 20, ...object, msg: message })}\n`),
    },
  });
  const source = new GitHubPullRequestSource({
    octokit,
    clock,
    lastKnownGoodMaxAgeMs: options.lastKnownGoodMaxAgeMs ?? 600_000,
    revalidateIntervalMs: REVALIDATE_INTERVAL_MS,
    timeoutMs,
  });
  const webhookSecret = 'webhookSecret' in options ? options.webhookSecret : WEBHOOK_SECRET;
  const app = buildServer({
    config: {
      pluginToken: PLUGIN_TOKEN,
      basePath: options.basePath ?? '',
      webhookSecret,
      repositories,
      ...(options.webhookPath !== undefined && { webhookPath: options.webhookPath }),
    },
    pullRequests: source,
    clock,
    metrics,
    logger: { level: 'debug', stream },
    ...(options.controllerUrl !== undefined && {
      onListingChanged: createControllerNotice({
        controllerUrl: options.controllerUrl,
        pullRequests: source,
        logger: {
          info: (object, message) => stream.write(`${JSON.stringify({ level: 30, ...object, msg: message })}\n`),
          warn: (object, message) => stream.write(`${JSON.stringify({ level: 40, ...object, msg: message })}\n`),
        },
      }),
    }),
  });
  await app.ready();
  const prefix = options.basePath ?? '';

  const getParams = (parameters?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `${prefix}/api/v1/getparams.execute`,
      headers: { authorization: `Bearer ${PLUGIN_TOKEN}`, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ applicationSetName: 'previews', input: parameters ? { parameters } : {} }),
    });

  return {
    fake,
    app,
    clock,
    metrics,
    source,
    logs,
    rawLogs,
    getParams,
    poll: (parameters) => {
      clock.advance(REVALIDATE_INTERVAL_MS);
      return getParams(parameters);
    },
    close: async () => {
      await app.close();
      await fake.close();
    },
  };
}

/** The parameter sets of a 200 getparams answer (fails the test on anything else). */
export function parameterSets(response: LightMyRequestResponse): ParameterSet[] {
  if (response.statusCode !== 200) throw new Error(`expected 200, got ${response.statusCode}: ${response.body}`);
  return (response.json() as { output: { parameters: ParameterSet[] } }).output.parameters;
}

/** The PR numbers answered, as numbers, sorted (the order is tested separately). */
export function numbers(response: LightMyRequestResponse): number[] {
  return parameterSets(response)
    .map((p) => Number(p.number))
    .sort((a, b) => a - b);
}
