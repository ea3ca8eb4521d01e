/**
 * The escape hatch for what the workload model cannot say: a strategic merge patch on the service's own workload
 * (`services[].patches: [{ patch }]`, no target). The patch is built up field by field while a workload is
 * imported; Kustomize merges containers, volumes and env entries by name, so only what differs is written.
 */
import type { WorkloadKind } from '../config/workload-kind-schema.ts';
import type { Json } from './json.ts';

/** The path of the pod template in each kind's spec. */
function podTemplatePath(kind: WorkloadKind): string[] {
  return kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
}

/** A strategic merge patch under construction; empty until something is set. */
export class WorkloadPatch {
  private readonly body: Json = {};

  constructor(private readonly kind: WorkloadKind) {}

  /** Sets a field of the workload's spec (`strategy`, `serviceName`, ...). */
  spec(field: string, value: unknown): void {
    this.at(['spec'])[field] = value;
  }

  /** Sets a field of a CronJob's Job spec (`completions`, `ttlSecondsAfterFinished`, ...). */
  jobSpec(field: string, value: unknown): void {
    this.at(['spec', 'jobTemplate', 'spec'])[field] = value;
  }

  /** Sets a field of the pod spec (`imagePullSecrets`, `hostNetwork`, ...). */
  pod(field: string, value: unknown): void {
    this.at([...podTemplatePath(this.kind), 'spec'])[field] = value;
  }

  /** Adds a pod volume as written upstream. */
  volume(volume: Json): void {
    this.list([...podTemplatePath(this.kind), 'spec'], 'volumes').push(volume);
  }

  /** Sets fields of a container (main or init), merged into dynenv's container of that name. */
  container(list: 'containers' | 'initContainers', name: string, fields: Json): void {
    const containers = this.list([...podTemplatePath(this.kind), 'spec'], list);
    let entry = containers.find((container: Json) => container.name === name);
    if (!entry) {
      entry = { name };
      containers.push(entry);
    }
    for (const [field, value] of Object.entries(fields)) {
      if (Array.isArray(value) && Array.isArray(entry[field])) entry[field].push(...value);
      else if (isMap(value) && isMap(entry[field])) Object.assign(entry[field], value);
      else entry[field] = value;
    }
  }

  get isEmpty(): boolean {
    return Object.keys(this.body).length === 0;
  }

  /** The patch, as `patches[].patch` holds it. */
  toJSON(): Json {
    return structuredClone(this.body);
  }

  private at(path: string[]): Json {
    let node = this.body;
    for (const key of path) node = node[key] ??= {};
    return node;
  }

  private list(path: string[], field: string): Json[] {
    const node = this.at(path);
    return (node[field] ??= []);
  }
}

function isMap(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
