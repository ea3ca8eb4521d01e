/**
 * What the fake Kubernetes API holds: objects of a few kinds, one resourceVersion counter for all of them (as
 * etcd has), and the history of changes a watch replays from, which `compact()` throws away (then a watch from an
 * older resourceVersion gets `410 Gone`, as from a real API server after etcd compaction). Every object stored is
 * checked against kubernetes-models / @kubernetes-models/argo-cd; a violation is recorded, not thrown, so the
 * test that caused it fails with a readable list.
 */
import { validateObject } from '../support/schemas.ts';

/** A resource the fake serves. */
export interface ResourceType {
  /** Plural, as in the URL and in RBAC rules. */
  readonly resource: string;
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { resource: 'namespaces', group: '', version: 'v1', kind: 'Namespace', namespaced: false },
  { resource: 'applications', group: 'argoproj.io', version: 'v1alpha1', kind: 'Application', namespaced: true },
  { resource: 'applicationsets', group: 'argoproj.io', version: 'v1alpha1', kind: 'ApplicationSet', namespaced: true },
];

export type StoredObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

export interface StoredEvent {
  readonly resourceVersion: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: string;
  readonly object: StoredObject;
  /** The object before the change (for MODIFIED and DELETED): a watch with a label selector needs it. */
  readonly previous: StoredObject | undefined;
}

type EventListener = (event: StoredEvent) => void;

export class FakeKubernetesStore {
  private readonly objects = new Map<string, StoredObject>();
  private history: StoredEvent[] = [];
  /** Events older than this were compacted away. */
  private oldestRetained = 0;
  private revision = 100;
  private uids = 0;
  private readonly listeners: EventListener[] = [];
  /** Objects that did not match their schema (a bug in the fake or the code under test). */
  readonly schemaViolations: string[] = [];
  /** The fake's clock, for creation and deletion timestamps. @default real time */
  now: () => number = () => Date.now();

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestWatchable(): number {
    return this.oldestRetained;
  }

  /** Calls `listener` on every change; the function returned removes it (once: calling it again does nothing). */
  onEvent(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => {
      // A watch that ends and then closes unsubscribes twice; splice(-1) would drop someone else's listener.
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Forgets the history: a watch from any earlier resourceVersion now gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.oldestRetained = this.revision;
  }

  /** Changes after `resourceVersion`, or undefined when they were compacted away. */
  eventsAfter(resourceVersion: number): StoredEvent[] | undefined {
    if (resourceVersion < this.oldestRetained) return undefined;
    return this.history.filter((event) => event.resourceVersion > resourceVersion);
  }

  get(resource: string, namespace: string | undefined, name: string): StoredObject | undefined {
    const found = this.objects.get(key(resource, namespace, name));
    return found && structuredClone(found);
  }

  list(resource: string, namespace?: string): StoredObject[] {
    return [...this.objects.entries()]
      .filter(([k, object]) => k.startsWith(`${resource}/`) && (namespace === undefined || object.metadata.namespace === namespace))
      .map(([, object]) => structuredClone(object))
      .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  }

  /** Stores a new object; throws `AlreadyExists` when one of that name exists. */
  create(resource: string, object: StoredObject): StoredObject {
    const k = key(resource, object.metadata.namespace, object.metadata.name);
    if (this.objects.has(k)) throw new StoreConflict('AlreadyExists', `${resource} "${object.metadata.name}" already exists`);
    const stored = structuredClone(object);
    stored.metadata.uid = `uid-${++this.uids}`;
    stored.metadata.creationTimestamp = timestamp(this.now());
    return this.write(resource, stored, 'ADDED');
  }

  /** Replaces an object (its resourceVersion, when given, must be current). */
  update(resource: string, object: StoredObject): StoredObject {
    const k = key(resource, object.metadata.namespace, object.metadata.name);
    const current = this.objects.get(k);
    if (!current) throw new StoreConflict('NotFound', `${resource} "${object.metadata.name}" not found`);
    const given = object.metadata.resourceVersion;
    if (given !== undefined && given !== current.metadata.resourceVersion) {
      throw new StoreConflict('Conflict', `the object has been modified; please apply your changes to the latest version and try again`);
    }
    const stored = structuredClone(object);
    stored.metadata.uid = current.metadata.uid;
    stored.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (current.metadata.deletionTimestamp) stored.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    // An object being deleted goes once its last finalizer is removed.
    if (stored.metadata.deletionTimestamp && (stored.metadata.finalizers ?? []).length === 0) {
      this.write(resource, stored, 'MODIFIED');
      return this.remove(resource, stored);
    }
    return this.write(resource, stored, 'MODIFIED');
  }

  /** Deletes an object: at once, or (with finalizers) marks it and waits for them to be removed. */
  delete(resource: string, namespace: string | undefined, name: string): StoredObject {
    const current = this.objects.get(key(resource, namespace, name));
    if (!current) throw new StoreConflict('NotFound', `${resource} "${name}" not found`);
    if ((current.metadata.finalizers ?? []).length > 0) {
      if (current.metadata.deletionTimestamp) return structuredClone(current);
      const marked = structuredClone(current);
      marked.metadata.deletionTimestamp = timestamp(this.now());
      if (marked.kind === 'Namespace') marked.status = { phase: 'Terminating' };
      return this.write(resource, marked, 'MODIFIED');
    }
    return this.remove(resource, current);
  }

  private remove(resource: string, object: StoredObject): StoredObject {
    this.objects.delete(key(resource, object.metadata.namespace, object.metadata.name));
    const removed = structuredClone(object);
    removed.metadata.resourceVersion = String(++this.revision);
    this.record({ resourceVersion: this.revision, type: 'DELETED', resource, object: removed, previous: structuredClone(object) });
    return removed;
  }

  private write(resource: string, object: StoredObject, type: 'ADDED' | 'MODIFIED'): StoredObject {
    const previous = this.objects.get(key(resource, object.metadata.namespace, object.metadata.name));
    object.metadata.resourceVersion = String(++this.revision);
    try {
      validateObject(object, `fake Kubernetes ${resource}`);
    } catch (error) {
      this.schemaViolations.push((error as Error).message);
    }
    this.objects.set(key(resource, object.metadata.namespace, object.metadata.name), object);
    this.record({ resourceVersion: this.revision, type, resource, object: structuredClone(object), previous: previous && structuredClone(previous) });
    return structuredClone(object);
  }

  private record(event: StoredEvent): void {
    this.history.push(event);
    for (const listener of [...this.listeners]) listener(event);
  }
}

/** A create, update or delete the state refuses; the server answers it as a Kubernetes Status. */
export class StoreConflict extends Error {
  constructor(
    readonly reason: 'AlreadyExists' | 'NotFound' | 'Conflict',
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return this.reason === 'NotFound' ? 404 : 409;
  }
}

function key(resource: string, namespace: string | undefined, name: string): string {
  return `${resource}/${namespace ?? ''}/${name}`;
}

function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
