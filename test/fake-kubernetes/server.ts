/**
 * The fake Kubernetes API on loopback: real HTTP, the API server's paths, Status objects and status codes, list
 * with `limit`/`continue`, watch from a resourceVersion (replay, `410 Gone` after compaction, bookmarks when asked,
 * `timeoutSeconds`), merge and JSON patches, deletion with finalizers, RBAC per bearer token, and faults. Tests play
 * Argo CD through the store (create, update, delete) and the code under test talks HTTP.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forbidden, type Identity, type RequestAttributes } from './rbac.ts';
import { JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, jsonPatch, mergePatch } from './patch.ts';
import { fieldSelectorName, parseLabelSelector } from './selectors.ts';
import { FakeKubernetesStore, RESOURCE_TYPES, StoreConflict, type ResourceType, type StoredEvent, type StoredObject } from './store.ts';

/** The token tests use for themselves: may do anything. */
export const ADMIN_TOKEN = 'fake-kubernetes-admin';

export interface KubernetesRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly user: string | undefined;
  readonly contentType: string | undefined;
  readonly body: unknown;
  status: number | 'reset';
}

/** What goes wrong with matching requests, `times` times (Infinity until removed). */
export interface KubernetesFault {
  readonly kind: 'status' | 'reset';
  /** For `status`: 500, 503, 429... */
  readonly status?: number;
  readonly method?: string;
  readonly path?: RegExp;
  /** Only watches (true), only other requests (false), or both. @default both */
  readonly watch?: boolean;
  remaining: number;
}

interface OpenWatch {
  readonly resource: ResourceType;
  readonly bookmarks: boolean;
  readonly response: ServerResponse;
  readonly end: () => void;
}

export class FakeKubernetes {
  readonly store = new FakeKubernetesStore();
  readonly requests: KubernetesRequestRecord[] = [];
  private readonly identities = new Map<string, Identity>([[ADMIN_TOKEN, { user: 'kubernetes-admin', superuser: true }]]);
  private readonly faults: KubernetesFault[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly server: Server;
  private baseUrl = '';

  constructor() {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.store.schemaViolations.push(`fake Kubernetes crashed: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  get url(): string {
    return this.baseUrl;
  }

  get schemaViolations(): readonly string[] {
    return this.store.schemaViolations;
  }

  /** Accepts `token` as `identity` from now on. */
  addIdentity(token: string, identity: Identity): void {
    this.identities.set(token, identity);
  }

  /** Injects a fault; returns it so the test can change `remaining` (0 stops it). */
  inject(fault: Omit<KubernetesFault, 'remaining'> & { remaining?: number }): KubernetesFault {
    const rule = { remaining: Number.POSITIVE_INFINITY, ...fault };
    this.faults.push(rule);
    return rule;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Open watch connections. */
  get openWatches(): number {
    return this.watches.size;
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch that asked for bookmarks. */
  sendBookmarks(): void {
    for (const watch of this.watches) {
      if (!watch.bookmarks) continue;
      const { group, version, kind } = watch.resource;
      writeEvent(watch.response, 'BOOKMARK', {
        apiVersion: group ? `${group}/${version}` : version,
        kind,
        metadata: { resourceVersion: String(this.store.resourceVersion), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
  }

  /** Ends every watch cleanly, as the server does at `timeoutSeconds` or when it restarts. */
  endWatches(): void {
    for (const watch of [...this.watches]) watch.end();
  }

  /** Drops every watch connection without a word, as a load balancer or a crash does. */
  dropWatches(): void {
    for (const watch of [...this.watches]) {
      this.watches.delete(watch);
      watch.response.socket?.destroy();
    }
  }

  /** Compacts the history and tells every watch `410 Gone`, as after etcd compaction. */
  expireWatches(): void {
    this.store.compact();
    for (const watch of [...this.watches]) {
      writeEvent(watch.response, 'ERROR', status(410, 'Expired', 'too old resource version'));
      watch.end();
    }
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const watch of [...this.watches]) watch.end();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const text = await readBody(req);
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const identity = token === undefined ? undefined : this.identities.get(token);
    const isWatch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const record: KubernetesRequestRecord = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      user: identity?.user,
      contentType: req.headers['content-type'],
      body: parseJson(text),
      status: 0,
    };
    this.requests.push(record);
    const answer = (code: number, body: unknown) => {
      record.status = code;
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };

    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method === method) &&
        (f.path === undefined || f.path.test(url.pathname)) &&
        (f.watch === undefined || f.watch === isWatch),
    );
    if (fault) {
      fault.remaining -= 1;
      if (fault.kind === 'reset') {
        record.status = 'reset';
        req.socket.destroy();
        return;
      }
      return answer(fault.status ?? 500, status(fault.status ?? 500, 'InternalError', 'injected fault'));
    }
    if (!identity) return answer(401, status(401, 'Unauthorized', 'Unauthorized'));

    const route = parseRoute(url.pathname);
    if (!route) return answer(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const { resource, namespace, name } = route;
    let selectedName: string | undefined;
    let selects: (object: StoredObject | undefined) => boolean;
    try {
      selectedName = fieldSelectorName(url.searchParams.get('fieldSelector'));
      const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
      selects = (object) =>
        object !== undefined &&
        labels(object.metadata.labels) &&
        (selectedName === undefined || object.metadata.name === selectedName) &&
        (namespace === undefined || object.metadata.namespace === namespace);
    } catch (error) {
      return answer(400, status(400, 'BadRequest', (error as Error).message));
    }
    const verb = verbOf(method, name !== undefined, isWatch);
    if (!verb) return answer(405, status(405, 'MethodNotAllowed', `${method} is not supported`));
    const attributes: RequestAttributes = { verb, group: resource.group, resource: resource.resource, namespace, name: name ?? selectedName };
    const refusal = forbidden(identity, attributes);
    if (refusal) return answer(403, status(403, 'Forbidden', refusal));

    try {
      if (verb === 'watch') return this.watch(resource, url, selects, record, res);
      if (verb === 'list') {
        const listed = this.list(resource, namespace, url, selects);
        if (listed === undefined) {
          return answer(410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.'));
        }
        return answer(200, listed);
      }
      if (verb === 'get') {
        const found = this.store.get(resource.resource, namespace, name!);
        return found ? answer(200, found) : answer(404, notFound(resource, name!));
      }
      if (verb === 'create') {
        const object = parseJson(text) as StoredObject;
        return answer(201, this.store.create(resource.resource, { ...object, metadata: { ...object.metadata, ...(namespace && { namespace }) } }));
      }
      if (verb === 'delete') return answer(200, this.store.delete(resource.resource, namespace, name!));
      const current = this.store.get(resource.resource, namespace, name!);
      if (!current) return answer(404, notFound(resource, name!));
      if (verb === 'update') return answer(200, this.store.update(resource.resource, parseJson(text) as StoredObject));
      const contentType = (req.headers['content-type'] ?? '').split(';')[0];
      let patched: unknown;
      if (contentType === MERGE_PATCH) patched = mergePatch(current, parseJson(text));
      else if (contentType === JSON_PATCH) patched = jsonPatch(current, parseJson(text));
      else if (contentType === STRATEGIC_MERGE_PATCH && resource.group !== '') {
        return answer(415, status(415, 'UnsupportedMediaType', 'strategic merge patch is not supported for custom resources'));
      } else if (contentType === STRATEGIC_MERGE_PATCH) patched = mergePatch(current, parseJson(text));
      else return answer(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${contentType}`));
      const next = patched as StoredObject;
      next.metadata = { ...next.metadata, resourceVersion: current.metadata.resourceVersion };
      return answer(200, this.store.update(resource.resource, next));
    } catch (error) {
      if (error instanceof StoreConflict) return answer(error.status, status(error.status, error.reason, error.message));
      return answer(422, status(422, 'Invalid', (error as Error).message));
    }
  }

  /** A list page, or undefined when its continue token was compacted away (410). */
  private list(resource: ResourceType, namespace: string | undefined, url: URL, selects: (o: StoredObject) => boolean): unknown {
    const limit = Number(url.searchParams.get('limit') ?? 0);
    const token = url.searchParams.get('continue');
    const continued = token ? (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv: number; offset: number }) : undefined;
    if (continued && continued.rv < this.store.oldestWatchable) return undefined;
    const listVersion = continued?.rv ?? this.store.resourceVersion;
    const all = this.store.list(resource.resource, namespace).filter(selects);
    const offset = continued?.offset ?? 0;
    const items = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const more = limit > 0 && offset + limit < all.length;
    const { group, version, kind } = resource;
    return {
      apiVersion: group ? `${group}/${version}` : version,
      kind: `${kind}List`,
      metadata: {
        resourceVersion: String(listVersion),
        ...(more && { continue: Buffer.from(JSON.stringify({ rv: listVersion, offset: offset + limit })).toString('base64') }),
      },
      items,
    };
  }

  private watch(
    resource: ResourceType,
    url: URL,
    selects: (o: StoredObject | undefined) => boolean,
    record: KubernetesRequestRecord,
    res: ServerResponse,
  ): void {
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // The API server sends the headers at once, before the first event.
    res.flushHeaders();
    const from = url.searchParams.get('resourceVersion');
    const send = (event: StoredEvent) => {
      if (event.resource !== resource.resource) return;
      const now = selects(event.type === 'DELETED' ? event.previous : event.object);
      const before = selects(event.previous);
      if (event.type === 'DELETED') {
        if (now) writeEvent(res, 'DELETED', event.object);
      } else if (now) writeEvent(res, before || event.type === 'ADDED' ? event.type : 'ADDED', event.object);
      else if (before) writeEvent(res, 'DELETED', event.object);
    };
    if (from === null || from === '' || from === '0') {
      for (const object of this.store.list(resource.resource)) if (selects(object)) writeEvent(res, 'ADDED', object);
    } else {
      const events = this.store.eventsAfter(Number(from));
      if (events === undefined) {
        writeEvent(res, 'ERROR', status(410, 'Expired', `too old resource version: ${from} (${this.store.oldestWatchable})`));
        res.end();
        return;
      }
      for (const event of events) send(event);
    }
    const unsubscribe = this.store.onEvent(send);
    const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    const watch: OpenWatch = {
      resource,
      bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
      response: res,
      end: () => {
        this.watches.delete(watch);
        unsubscribe();
        clearTimeout(timer);
        res.end();
      },
    };
    const timer = timeoutSeconds > 0 ? setTimeout(() => watch.end(), timeoutSeconds * 1000).unref() : undefined;
    res.on('close', () => {
      this.watches.delete(watch);
      unsubscribe();
      clearTimeout(timer);
    });
    this.watches.add(watch);
  }
}

/** Starts a fake Kubernetes API on 127.0.0.1 and an ephemeral port. Close it after the test. */
export async function startFakeKubernetes(): Promise<FakeKubernetes> {
  const fake = new FakeKubernetes();
  await fake.listen();
  return fake;
}

function parseRoute(path: string): { resource: ResourceType; namespace: string | undefined; name: string | undefined } | undefined {
  let m = /^\/api\/v1\/namespaces(?:\/([^/]+))?$/.exec(path);
  if (m) return { resource: RESOURCE_TYPES.find((r) => r.resource === 'namespaces')!, namespace: undefined, name: m[1] };
  m = /^\/apis\/([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  const resource = m && RESOURCE_TYPES.find((r) => r.group === m![1] && r.version === m![2] && r.resource === m![4] && r.namespaced);
  if (m && resource) return { resource, namespace: m[3], name: m[5] };
  return undefined;
}

function verbOf(method: string, named: boolean, watch: boolean): RequestAttributes['verb'] | undefined {
  if (method === 'GET') return watch ? 'watch' : named ? 'get' : 'list';
  if (method === 'POST' && !named) return 'create';
  if (method === 'PUT' && named) return 'update';
  if (method === 'PATCH' && named) return 'patch';
  if (method === 'DELETE' && named) return 'delete';
  return undefined;
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function notFound(resource: ResourceType, name: string) {
  const group = resource.group ? `${resource.resource}.${resource.group}` : resource.resource;
  return status(404, 'NotFound', `${group} "${name}" not found`);
}

function writeEvent(res: ServerResponse, type: string, object: unknown): void {
  if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
