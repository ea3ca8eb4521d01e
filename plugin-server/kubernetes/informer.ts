/**
 * A cache of one kind of object kept up to date by list-then-watch, as client-go's reflector does it:
 *
 * - the list is read page by page (`limit`/`continue`); a continue token that expired (410) starts it again;
 * - the watch asks for bookmarks (`allowWatchBookmarks=true`), so a quiet watch still moves its resourceVersion
 *   and a reconnect after a long quiet time does not fall out of the API server's history window;
 * - `410 Gone` (as an HTTP status or as an ERROR event) means the history was compacted: list again, and tell
 *   listeners what changed in between (objects missing from the new list are reported deleted);
 * - a watch the server ends (`timeoutSeconds`, a restart) resumes from the last resourceVersion at once;
 * - a dropped connection, a refused request or a dead one (no byte for the idle timeout) waits with exponential
 *   back-off and jitter, then resumes; the back-off starts again after a watch that worked.
 */
import { KubernetesApiError, type KubernetesApiClient, type WatchEvent } from './api-client.ts';

export interface KubernetesObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
  };
}

export type InformerChange = 'added' | 'modified' | 'deleted';

export interface InformerOptions {
  /** Collection path, e.g. `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`. */
  readonly path: string;
  /** Only objects with these labels (`a=b,c`). @default all */
  readonly labelSelector?: string;
  /** Objects per list page. @default 500 */
  readonly pageSize?: number;
  /** The server ends each watch after about this long (randomised ±50% so replicas do not reconnect together). @default 300 */
  readonly watchTimeoutSeconds?: number;
  /** First and longest wait after a failure. @default { initialMs: 500, maxMs: 30_000 } */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** How a failure is reported (it is retried anyway). @default ignored */
  readonly onError?: (error: Error, retryInMs: number) => void;
  /** Waits `ms` unless `signal` aborts first. @default a timer */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Random number in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

/** What the informer has done, for metrics and tests. */
export interface InformerStats {
  lists: number;
  watches: number;
  /** Lists forced by `410 Gone`. */
  relistsAfterGone: number;
  bookmarks: number;
  failures: number;
}

type Listener<T> = (change: InformerChange, object: T) => void;

export class Informer<T extends KubernetesObject> {
  private readonly objects = new Map<string, T>();
  private readonly listeners: Array<Listener<T>> = [];
  private readonly stopping = new AbortController();
  private resourceVersion = '';
  private stream: { abort(): void } | undefined;
  private loop: Promise<void> | undefined;
  private synced: { promise: Promise<void>; resolve: () => void };
  readonly stats: InformerStats = { lists: 0, watches: 0, relistsAfterGone: 0, bookmarks: 0, failures: 0 };

  constructor(
    private readonly client: KubernetesApiClient,
    private readonly options: InformerOptions,
  ) {
    let resolve = () => undefined as void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.synced = { promise, resolve };
  }

  /** Calls `listener` for every change after it is added. */
  onChange(listener: Listener<T>): void {
    this.listeners.push(listener);
  }

  /** The objects as last seen. */
  list(): T[] {
    return [...this.objects.values()];
  }

  get(name: string, namespace?: string): T | undefined {
    return this.objects.get(keyOf(namespace, name));
  }

  /** Starts listing and watching; resolves once the first list is in the cache. */
  start(): Promise<void> {
    this.loop ??= this.run();
    return this.synced.promise;
  }

  /** Resolves once the first list is in the cache. */
  whenSynced(): Promise<void> {
    return this.synced.promise;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.stream?.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === '') {
          await this.relist();
          failures = 0;
        }
        const delivered = await this.watchOnce();
        if (delivered > 0) failures = 0;
        // A server that ends every watch at once must not make this a busy loop.
        else await this.backOff(Math.max(failures, 1));
      } catch (error) {
        if (this.stopped) return;
        if (isGone(error)) {
          this.resourceVersion = '';
          this.stats.relistsAfterGone += 1;
          continue;
        }
        failures += 1;
        this.stats.failures += 1;
        await this.backOff(failures, error as Error);
      }
    }
  }

  /** Waits before the next attempt: exponential in `failures`, with jitter (half to all of the ceiling). */
  private async backOff(failures: number, error?: Error): Promise<void> {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** (failures - 1));
    const waitMs = Math.round(ceiling / 2 + (ceiling / 2) * (this.options.random ?? Math.random)());
    if (error) this.options.onError?.(error, waitMs);
    await (this.options.sleep ?? sleep)(waitMs, this.stopping.signal);
  }

  /** Lists every page, replaces the cache and reports the difference. */
  private async relist(): Promise<void> {
    const seen = new Map<string, T>();
    let continueToken: string | undefined;
    let listVersion: string;
    do {
      const query = new URLSearchParams({ limit: String(this.options.pageSize ?? 500) });
      if (this.options.labelSelector) query.set('labelSelector', this.options.labelSelector);
      if (continueToken) query.set('continue', continueToken);
      const page = await this.client.request<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>(
        'GET',
        `${this.options.path}?${query}`,
      );
      for (const item of page.items ?? []) seen.set(keyOf(item.metadata.namespace, item.metadata.name), item);
      continueToken = page.metadata?.continue || undefined;
      listVersion = page.metadata?.resourceVersion ?? '';
    } while (continueToken);
    this.stats.lists += 1;
    for (const [key, old] of this.objects) {
      if (!seen.has(key)) {
        this.objects.delete(key);
        this.emit('deleted', old);
      }
    }
    for (const [key, object] of seen) this.upsert(key, object);
    this.resourceVersion = listVersion;
    this.synced.resolve();
  }

  /** One watch until the server ends it; resolves to the number of events it delivered; throws on failure or 410. */
  private async watchOnce(): Promise<number> {
    const base = this.options.watchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.max(1, Math.round(base * (0.5 + (this.options.random ?? Math.random)())));
    const query = new URLSearchParams({
      watch: '1',
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeoutSeconds),
    });
    if (this.options.labelSelector) query.set('labelSelector', this.options.labelSelector);
    let gone: KubernetesApiError | undefined;
    let failed: KubernetesApiError | undefined;
    let delivered = 0;
    const stream = await this.client.watch(
      `${this.options.path}?${query}`,
      (event) => {
        delivered += 1;
        const problem = this.apply(event);
        if (problem) {
          if (problem.status === 410) gone = problem;
          else failed = problem;
          stream.abort();
        }
      },
      // No byte (not even a bookmark) for much longer than the server's own timeout: the connection is dead.
      (timeoutSeconds + 30) * 1000,
    );
    this.stream = stream;
    // stop() may have come while the watch was being opened.
    if (this.stopped) stream.abort();
    this.stats.watches += 1;
    try {
      await stream.ended;
    } catch (error) {
      if (!gone && !failed) throw error;
    } finally {
      this.stream = undefined;
    }
    if (gone) throw gone;
    if (failed) throw failed;
    return delivered;
  }

  /** Applies one event; returns the error an ERROR event carries. */
  private apply(event: WatchEvent): KubernetesApiError | undefined {
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number; reason?: string; message?: string };
      return new KubernetesApiError(status.code ?? 500, status.reason ?? 'Error', `watch ${this.options.path}: ${status.message ?? 'error event'}`);
    }
    const object = event.object as unknown as T;
    const version = object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') this.stats.bookmarks += 1;
    else if (event.type === 'DELETED') {
      const key = keyOf(object.metadata.namespace, object.metadata.name);
      if (this.objects.delete(key)) this.emit('deleted', object);
    } else this.upsert(keyOf(object.metadata.namespace, object.metadata.name), object);
    if (version) this.resourceVersion = version;
    return undefined;
  }

  private upsert(key: string, object: T): void {
    const old = this.objects.get(key);
    if (old && old.metadata.resourceVersion === object.metadata.resourceVersion) return;
    this.objects.set(key, object);
    this.emit(old ? 'modified' : 'added', object);
  }

  private emit(change: InformerChange, object: T): void {
    for (const listener of this.listeners) listener(change, object);
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function isGone(error: unknown): boolean {
  return error instanceof KubernetesApiError && error.status === 410;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
  });
}
