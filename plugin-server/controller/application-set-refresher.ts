/**
 * Instant previews: after the plugin has re-listed a repository because of a webhook, set Argo CD's refresh
 * annotation (`argocd.argoproj.io/application-set-refresh: "true"`) on the ApplicationSets that ask the plugin
 * about that repository, and on no other. The ApplicationSet controller then regenerates each at once (and removes
 * the annotation), instead of at its next `requeueAfterSeconds` poll; Argo CD's own webhook is not needed.
 *
 * Notices for one repository are coalesced: while its patches are in flight, any number of further notices make
 * exactly one more round afterwards (the last event is never lost, a burst costs two rounds). A failed patch is
 * retried with back-off a few times; if it still fails, the preview waits for the next poll, as without refresh.
 */
import type { KubernetesApiClient } from '../kubernetes/api-client.ts';
import type { Informer } from '../kubernetes/informer.ts';
import type { RepositoryAllowlist } from '../repositories.ts';
import { applicationSetsFor, applicationSetsPath, type ApplicationSetObject } from './plugin-application-sets.ts';

export const REFRESH_ANNOTATION = 'argocd.argoproj.io/application-set-refresh';

export interface RefreshLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface ApplicationSetRefresherOptions {
  readonly client: KubernetesApiClient;
  /** The ApplicationSets of Argo CD's namespace, watched. */
  readonly applicationSets: Informer<ApplicationSetObject>;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** Name of the plugin's ConfigMap (the generators' `configMapRef`). */
  readonly pluginConfigMap: string;
  readonly allowlist: RepositoryAllowlist;
  readonly logger?: RefreshLogger;
  /** Attempts per patch. @default 3 */
  readonly attempts?: number;
  /** Waits between attempts. @default a timer of 200 ms × attempt */
  readonly pause?: (attempt: number) => Promise<void>;
  /** Counts patches by outcome. @default none */
  readonly onPatch?: (outcome: 'patched' | 'failed') => void;
}

interface RepositoryRound {
  running: Promise<string[]>;
  again: boolean;
}

export class ApplicationSetRefresher {
  private readonly rounds = new Map<string, RepositoryRound>();

  constructor(private readonly options: ApplicationSetRefresherOptions) {}

  /**
   * Refreshes the ApplicationSets of `repository` (allowlist spelling); resolves, once a round that started after
   * this call has finished, to the names it patched.
   */
  refresh(repository: string): Promise<string[]> {
    const current = this.rounds.get(repository);
    if (current) {
      // The running round goes round once more before it resolves.
      current.again = true;
      return current.running;
    }
    const round: RepositoryRound = { again: false, running: Promise.resolve([]) };
    round.running = (async () => {
      let patched: string[];
      try {
        do {
          round.again = false;
          patched = await this.patchAll(repository);
        } while (round.again);
      } finally {
        // In the same turn as the last check of `again`: no notice can fall between the two.
        this.rounds.delete(repository);
      }
      return patched;
    })();
    this.rounds.set(repository, round);
    return round.running;
  }

  private async patchAll(repository: string): Promise<string[]> {
    await this.options.applicationSets.whenSynced();
    const { pluginConfigMap, allowlist, namespace } = this.options;
    const names = applicationSetsFor(this.options.applicationSets.list(), repository, pluginConfigMap, allowlist);
    const results = await Promise.all(names.map((name) => this.patch(name)));
    const patched = names.filter((_, i) => results[i]);
    this.options.logger?.info({ repository, namespace, applicationSets: patched }, 'refreshed the ApplicationSets of the repository');
    return patched;
  }

  private async patch(name: string): Promise<boolean> {
    const attempts = this.options.attempts ?? 3;
    const body = { metadata: { annotations: { [REFRESH_ANNOTATION]: 'true' } } };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.client.request('PATCH', `${applicationSetsPath(this.options.namespace)}/${name}`, body, {
          contentType: 'application/merge-patch+json',
        });
        this.options.onPatch?.('patched');
        return true;
      } catch (error) {
        const status = (error as { status?: number }).status ?? 0;
        // A refusal (403) or a set deleted meanwhile (404) will not change by trying again.
        const final = attempt >= attempts || status === 403 || status === 404;
        this.options.logger?.warn({ applicationSet: name, error: (error as Error).message, willRetry: !final }, 'cannot refresh an ApplicationSet');
        if (final) {
          this.options.onPatch?.('failed');
          return false;
        }
        await (this.options.pause ?? ((n) => new Promise((resolve) => setTimeout(resolve, 200 * n))))(attempt);
      }
    }
  }
}
