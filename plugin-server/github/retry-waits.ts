/**
 * Octokit's waits, on the server's clock. @octokit/plugin-retry and @octokit/plugin-throttling wait between
 * attempts on Bottleneck's own timers (`retryAfterBaseValue` milliseconds per unit), which no clock moves. The
 * client gives both plugins 0 ms and waits as long on its clock instead:
 *
 * - a retry of a transient failure waits n² units before attempt n (plugin-retry's back-off; the plugin records
 *   the attempt as `request.retryCount` before it runs it again) — this plugin, which must come before
 *   plugin-retry in `Octokit.plugin(...)` so that its hook runs inside the retry loop;
 * - a rate-limit retry waits the seconds GitHub asked for, in the onRateLimit handlers (`rateLimitWait`), which
 *   plugin-throttling awaits before it retries.
 */
import type { Octokit } from '@octokit/rest';
import type { Clock } from '../clock.ts';

export interface RetryWaitOptions {
  readonly clock: Clock;
  /** Milliseconds per unit of back-off. */
  readonly unitMs: number;
}

/** Octokit plugin: waits n² units on `retryWaits.clock` before retry n of plugin-retry. */
export function retryWaitsOnClock(octokit: Pick<Octokit, 'hook'>, octokitOptions: Record<string, unknown>): void {
  const waits = octokitOptions.retryWaits as RetryWaitOptions | undefined;
  if (!waits) return;
  octokit.hook.wrap('request', async (request, options) => {
    const attempt = (options.request as { retryCount?: number } | undefined)?.retryCount ?? 0;
    if (attempt > 0) await waits.clock.sleep(attempt ** 2 * waits.unitMs);
    return request(options);
  });
}
