/** Expiry: the keep label exempts a preview, the comment says when it expires, and a metric counts previews by time left. */
import { describe, expect, it } from 'vitest';
import { ControllerMetrics } from '../../../plugin-server/controller/metrics.ts';
import { renderPreviewComment, type PreviewView } from '../../../plugin-server/controller/status/preview-comment.ts';
import { previewExpiry } from '../../../plugin-server/controller/status/preview-expiry.ts';
import type { PullRequest } from '../../../plugin-server/github/pull-request.ts';

const NOW = Date.parse('2025-01-10T12:00:00Z');
const HOUR = 3_600_000;
const pull = (labels: string[], updatedAtMs: number) => ({ number: 7, labels, updatedAtMs }) as unknown as PullRequest;
const PARAMETERS = { repo: 'example-org/checkout', maxAgeHours: 72, keepLabel: 'keep-preview' };

const view = (expiresAt: PreviewView['expiresAt']): PreviewView => ({
  app: 'checkout',
  number: 7,
  url: 'https://pr-7.preview.example.com',
  state: 'success',
  reason: undefined,
  deployedSha: 'a'.repeat(40),
  headSha: 'b'.repeat(40),
  health: 'Healthy',
  sync: 'Synced',
  logUrl: 'https://argocd.example.test/applications/argocd/checkout-pr-7',
  expiresAt,
  keepLabel: 'keep-preview',
});

describe('preview expiry', () => {
  it('is ttlHours after the last activity, unless the pull request carries the keep label (any case)', () => {
    expect(previewExpiry(pull([], NOW), PARAMETERS)).toEqual({ expiresAt: NOW + 72 * HOUR, keepLabel: 'keep-preview' });
    expect(previewExpiry(pull(['Keep-Preview'], NOW), PARAMETERS)).toEqual({ expiresAt: 'kept', keepLabel: 'keep-preview' });
    expect(previewExpiry(pull([], NOW), { repo: 'x/y' }).expiresAt).toBeUndefined();
  });

  it('is written in the comment as a date (which does not change by itself), or as kept', () => {
    const body = renderPreviewComment(view(NOW + 72 * HOUR));
    expect(body).toContain('- **Expires:** 2025-01-13 12:00 UTC without activity (label `keep-preview` keeps it)');
    expect(body).toContain('(head is `bbbbbbb`)');
    expect(body.startsWith('<!-- dynenv:preview:checkout -->')).toBe(true);
    expect(renderPreviewComment(view('kept'))).toContain('- **Expires:** never, while the pull request carries the `keep-preview` label');
  });

  it('counts previews by time left', async () => {
    const metrics = new ControllerMetrics();
    const expiries = [
      previewExpiry(pull([], NOW - 72 * HOUR - 1), PARAMETERS),
      previewExpiry(pull([], NOW - 71.5 * HOUR), PARAMETERS),
      previewExpiry(pull([], NOW - 60 * HOUR), PARAMETERS),
      previewExpiry(pull([], NOW), PARAMETERS),
      previewExpiry(pull(['keep-preview'], NOW - 500 * HOUR), PARAMETERS),
    ];
    metrics.countPreviews(
      () => expiries,
      () => NOW,
    );
    const text = await metrics.registry.metrics();
    for (const [bucket, count] of [
      ['expired', 1],
      ['under_1h', 1],
      ['under_24h', 1],
      ['over_24h', 1],
      ['kept', 1],
      ['under_6h', 0],
    ] as const) {
      expect(text).toContain(`dynenv_controller_previews{time_left="${bucket}"} ${count}`);
    }
  });
});
