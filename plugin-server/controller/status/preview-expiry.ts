/**
 * When a preview expires: `maxAgeHours` (dynenv.yaml's `preview.ttlHours`) after the pull request's last
 * activity, unless it carries the keep label; read from the plugin generator's parameters of the ApplicationSet
 * that made the preview, so the comment says what the plugin will do.
 */
import type { PullRequest } from '../../github/pull-request.ts';

export interface PreviewExpiry {
  /** When it expires (ms), `kept` with the keep label, or undefined when nothing expires it. */
  readonly expiresAt: number | 'kept' | undefined;
  readonly keepLabel: string | undefined;
}

export function previewExpiry(pull: PullRequest | undefined, parameters: Record<string, unknown> | undefined): PreviewExpiry {
  const hours = Number(parameters?.maxAgeHours);
  const keepLabel = typeof parameters?.keepLabel === 'string' && parameters.keepLabel !== '' ? parameters.keepLabel : undefined;
  if (!pull || !Number.isFinite(hours) || hours <= 0) return { expiresAt: undefined, keepLabel };
  if (keepLabel && pull.labels.some((label) => label.toLowerCase() === keepLabel.toLowerCase())) return { expiresAt: 'kept', keepLabel };
  return { expiresAt: pull.updatedAtMs + hours * 3_600_000, keepLabel };
}

/** Buckets of the previews-by-time-left metric. */
export const TIME_LEFT_BUCKETS = ['expired', 'under_1h', 'under_6h', 'under_24h', 'over_24h', 'kept', 'never'] as const;

export function timeLeftBucket(expiry: PreviewExpiry, nowMs: number): (typeof TIME_LEFT_BUCKETS)[number] {
  if (expiry.expiresAt === 'kept') return 'kept';
  if (expiry.expiresAt === undefined) return 'never';
  const hours = (expiry.expiresAt - nowMs) / 3_600_000;
  return hours <= 0 ? 'expired' : hours < 1 ? 'under_1h' : hours < 6 ? 'under_6h' : hours < 24 ? 'under_24h' : 'over_24h';
}
