/**
 * `dynenv sweep`: deletes preview namespaces that nothing owns any more. A namespace is removed only when all of
 * this holds: it carries dynenv's labels (`app.kubernetes.io/managed-by=dynenv`, `dynenv.io/environment=preview`,
 * a `dynenv.io/pull-request` number), it is not already being deleted, no Argo CD Application deploys to it, its
 * pull request is not open on GitHub, and it is older than the grace period (so a preview being created, whose
 * Application is not there yet, is left alone). Anything else is never touched.
 */
import type { KubernetesApiClient } from '../kubernetes/api-client.ts';
import type { KubernetesObject } from '../kubernetes/informer.ts';
import type { PullRequestSource } from '../github/pull-request-source.ts';
import type { RepositoryAllowlist } from '../repositories.ts';

export const PREVIEW_NAMESPACE_SELECTOR = 'app.kubernetes.io/managed-by=dynenv,dynenv.io/environment=preview';

export interface SweepOptions {
  readonly client: KubernetesApiClient;
  readonly pullRequests: PullRequestSource;
  readonly allowlist: RepositoryAllowlist;
  /** Argo CD's namespace, whose Applications own namespaces. */
  readonly argocdNamespace: string;
  /** How old an unowned namespace must be. */
  readonly graceMs: number;
  /** List, do not delete. */
  readonly dryRun: boolean;
  /** @default Date.now */
  readonly now?: () => number;
  readonly log: (line: Record<string, unknown>) => void;
}

export interface SweepResult {
  /** Namespaces removed (or, on a dry run, that would be). */
  readonly removed: string[];
  /** Preview namespaces kept, with why. */
  readonly kept: Array<{ namespace: string; reason: string }>;
}

interface NamespaceObject extends KubernetesObject {
  readonly status?: { readonly phase?: string };
}

export async function sweepPreviewNamespaces(options: SweepOptions): Promise<SweepResult> {
  const now = options.now ?? Date.now;
  const namespaces = await listAll<NamespaceObject>(options.client, `/api/v1/namespaces?labelSelector=${encodeURIComponent(PREVIEW_NAMESPACE_SELECTOR)}`);
  const applications = await listAll<KubernetesObject & { spec?: { destination?: { namespace?: string } } }>(
    options.client,
    `/apis/argoproj.io/v1alpha1/namespaces/${options.argocdNamespace}/applications`,
  );
  const owned = new Set(applications.map((a) => a.spec?.destination?.namespace).filter((n): n is string => typeof n === 'string'));
  const openByRepository = new Map<string, Set<number>>();
  const removed: string[] = [];
  const kept: SweepResult['kept'] = [];
  for (const namespace of namespaces) {
    const { name, labels = {}, annotations = {}, creationTimestamp, deletionTimestamp } = namespace.metadata;
    // The API server filtered by label; check again, so a selector mistake can never widen what is deleted.
    const number = Number(labels['dynenv.io/pull-request']);
    if (labels['app.kubernetes.io/managed-by'] !== 'dynenv' || labels['dynenv.io/environment'] !== 'preview' || !Number.isInteger(number) || number <= 0) {
      kept.push({ namespace: name, reason: 'not labelled as a dynenv preview' });
      continue;
    }
    if (deletionTimestamp || namespace.status?.phase === 'Terminating') {
      kept.push({ namespace: name, reason: 'already being deleted' });
      continue;
    }
    if (owned.has(name)) {
      kept.push({ namespace: name, reason: 'an Application deploys to it' });
      continue;
    }
    const ageMs = now() - Date.parse(creationTimestamp ?? '');
    if (!(ageMs >= options.graceMs)) {
      kept.push({ namespace: name, reason: 'younger than the grace period' });
      continue;
    }
    const repository = repositoryOfNamespace(annotations['dynenv.io/pull-request-url'], options.allowlist);
    if (!repository) {
      kept.push({ namespace: name, reason: 'its repository is not in DYNENV_REPOS' });
      continue;
    }
    let open = openByRepository.get(repository);
    if (!open) {
      // A failure here throws: without knowing which pull requests are open, nothing may be deleted.
      const listing = await options.pullRequests.listOpenPullRequests(repository);
      open = new Set(listing.pullRequests.map((p) => p.number));
      openByRepository.set(repository, open);
    }
    if (open.has(number)) {
      kept.push({ namespace: name, reason: `pull request #${number} is open` });
      continue;
    }
    if (!options.dryRun) await options.client.request('DELETE', `/api/v1/namespaces/${name}`, { propagationPolicy: 'Background' });
    removed.push(name);
    options.log({ msg: options.dryRun ? 'would delete' : 'deleted', namespace: name, repository, pullRequest: number, ageMinutes: Math.round(ageMs / 60_000) });
  }
  options.log({ msg: 'sweep done', dryRun: options.dryRun, removed: removed.length, kept: kept.length, previewNamespaces: namespaces.length });
  return { removed, kept };
}

/** The repository of a namespace's pull-request URL (`https://<host>/<owner>/<name>/pull/<n>`), or the only one. */
function repositoryOfNamespace(url: string | undefined, allowlist: RepositoryAllowlist): string | undefined {
  const m = url === undefined ? null : /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\/pull\/\d+$/.exec(url);
  return m ? allowlist.canonical(m[1]!) : allowlist.only;
}

async function listAll<T>(client: KubernetesApiClient, path: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await client.request<{ items?: T[]; metadata?: { continue?: string } }>(
      'GET',
      `${path}${separator}limit=500${next ? `&continue=${encodeURIComponent(next)}` : ''}`,
    );
    items.push(...(page.items ?? []));
    next = page.metadata?.continue || undefined;
  } while (next);
  return items;
}
