/**
 * What `serve` does after a webhook that changes a repository's open pull requests: list the repository again (so
 * the answer Argo CD is about to ask for already holds the change), then tell the controller container, which
 * alone holds Kubernetes credentials, to refresh that repository's ApplicationSets. Runs after the webhook is
 * answered; a failure only means the previews wait for the next poll, and is logged.
 */
import type { PullRequestSource } from './github/pull-request-source.ts';
import { CONTROLLER_ROUTES } from '../contract/plugin-routes.ts';

/** pull_request actions that can add, remove or change a preview (and so a parameter set). */
export const LISTING_ACTIONS: ReadonlySet<string> = new Set([
  'opened',
  'reopened',
  'closed',
  'synchronize',
  'labeled',
  'unlabeled',
  'ready_for_review',
  'converted_to_draft',
  // The base branch or the title can change, and filters select on both.
  'edited',
]);

export interface NoticeLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface ControllerNoticeOptions {
  /** e.g. `http://127.0.0.1:4356`: the controller container of the same pod. */
  readonly controllerUrl: string;
  readonly pullRequests: PullRequestSource;
  readonly logger: NoticeLogger;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/** A function that re-lists `repository` and then asks the controller to refresh it. */
export function createControllerNotice(options: ControllerNoticeOptions): (repository: string) => Promise<void> {
  return async (repository) => {
    try {
      const listing = await options.pullRequests.listOpenPullRequests(repository);
      if (listing.source === 'stale') {
        options.logger.warn({ repository }, 'GitHub is failing: no refresh, the previews wait for the next poll');
        return;
      }
      const response = await fetch(`${options.controllerUrl}${CONTROLLER_ROUTES.refresh}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ repository }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (!response.ok) throw new Error(`the controller answered ${response.status}: ${await response.text()}`);
      options.logger.info({ repository }, 'asked the controller to refresh the ApplicationSets');
    } catch (error) {
      options.logger.warn({ repository, error: (error as Error).message }, 'cannot refresh the ApplicationSets: the previews wait for the next poll');
    }
  };
}
