/**
 * `POST /api/v1/webhook/github` (DYNENV_WEBHOOK_PATH): GitHub's webhook. A `pull_request` event (opened, closed, synchronize, labeled,
 * unlabeled, edited, ready_for_review, converted_to_draft...) invalidates that repository's listing, so the
 * poll that Argo CD's own webhook triggers a moment later asks GitHub instead of reusing an older check.
 * Registered only when GITHUB_WEBHOOK_SECRET is set; the signature is checked on the exact bytes received, read
 * within the limits of webhook-intake.ts (a bounded body, a deadline, a bounded number read at once).
 */
import { verify } from '@octokit/webhooks-methods';
import type { FastifyPluginAsync } from 'fastify';
import { ERROR_REPLY_SCHEMA, PluginError } from '../errors.ts';
import { LISTING_ACTIONS } from '../controller-notice.ts';
import type { PullRequestSource } from '../github/pull-request-source.ts';
import type { RepositoryAllowlist } from '../repositories.ts';
import { DEFAULT_WEBHOOK_LIMITS, limitWebhookIntake, type WebhookLimits } from '../webhook-intake.ts';

export interface WebhookRouteOptions {
  /** The route's path (argocd.plugin.webhook.path, which the Ingress routes here). */
  readonly path: string;
  readonly secret: string;
  readonly allowlist: RepositoryAllowlist;
  readonly pullRequests: PullRequestSource;
  /** What is read before the signature is checked; `clock` runs the body deadline. @default DEFAULT_WEBHOOK_LIMITS */
  readonly limits: Partial<WebhookLimits> & Pick<WebhookLimits, 'clock'>;
  /** Called, without waiting, after a pull_request action that changes the listing. @default none */
  readonly onListingChanged?: (repository: string) => Promise<void>;
}

const MESSAGE_REPLY = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } as const;

export const webhookRoute: FastifyPluginAsync<WebhookRouteOptions> = async (app, options) => {
  limitWebhookIntake(app, { ...DEFAULT_WEBHOOK_LIMITS, ...options.limits });

  app.post(
    options.path,
    {
      schema: { response: { 200: MESSAGE_REPLY, 202: MESSAGE_REPLY, '4xx': ERROR_REPLY_SCHEMA } },
    },
    async (request, reply) => {
      const signature = request.headers['x-hub-signature-256'];
      const payload = typeof request.body === 'string' ? request.body : '';
      const valid = typeof signature === 'string' && signature !== '' && payload !== '' && (await verify(options.secret, payload, signature));
      if (!valid) {
        throw new PluginError('WEBHOOK_SIGNATURE_INVALID', 'X-Hub-Signature-256 is missing or does not match GITHUB_WEBHOOK_SECRET');
      }
      const event = request.headers['x-github-event'];
      if (event === 'ping') return { message: 'pong' };
      if (event !== 'pull_request') {
        reply.code(202);
        return { message: `ignored event ${String(event)}: only pull_request events change the listing` };
      }
      let repository: string | undefined;
      let action: string | undefined;
      try {
        const parsed = JSON.parse(payload) as { action?: unknown; repository?: { full_name?: unknown } };
        repository = typeof parsed.repository?.full_name === 'string' ? parsed.repository.full_name : undefined;
        action = typeof parsed.action === 'string' ? parsed.action : undefined;
      } catch {
        throw new PluginError('INVALID_PARAMETER', 'request body: not JSON (configure the webhook with content type application/json)');
      }
      const canonical = repository === undefined ? undefined : options.allowlist.canonical(repository);
      if (!canonical) {
        reply.code(202);
        return { message: `ignored: ${repository ?? 'no repository'} is not in DYNENV_REPOS` };
      }
      options.pullRequests.invalidate(canonical);
      if (options.onListingChanged && action !== undefined && LISTING_ACTIONS.has(action)) void options.onListingChanged(canonical);
      request.log.info({ repository: canonical, action }, 'pull_request event: the next poll asks GitHub');
      return { message: `invalidated ${canonical}` };
    },
  );
};
