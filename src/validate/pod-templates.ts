/**
 * The pods an object will run: where its pod template is, which labels its pods get, and each container with
 * the role it plays (main container, init container, sidecar). The rules about selectors, references,
 * resources, probes and images all read pods through here.
 */
import type { KubernetesObject } from '../gitops/kustomize-build.ts';
import { apiGroup } from './kinds.ts';
import { asArray, asRecord, asStringMap, valueAt } from './object-access.ts';

export interface PodTemplate {
  readonly object: KubernetesObject;
  /** Path of the pod spec inside the object, e.g. `spec.template.spec`. */
  readonly specPath: readonly PropertyKey[];
  readonly spec: Readonly<Record<string, unknown>>;
  /** The labels its pods carry. */
  readonly labels: Readonly<Record<string, string>>;
  /** Pods that serve until replaced (Deployment, StatefulSet, ...), not pods that run to completion (Job). */
  readonly longRunning: boolean;
}

/**
 * `container`, or `init` for an init container that runs to completion before the others start, or `sidecar`
 * for an init container with `restartPolicy: Always` that keeps running beside them.
 */
export type ContainerRole = 'container' | 'init' | 'sidecar';

export interface ContainerEntry {
  readonly container: Readonly<Record<string, unknown>>;
  /** Path of the container inside the object, e.g. `spec.template.spec.containers[0]`. */
  readonly path: readonly PropertyKey[];
  readonly role: ContainerRole;
}

/** Where the pod template sits, per workload kind (`<group>/<kind>`, "" for the core group). */
const TEMPLATE_PATHS: Readonly<Record<string, { readonly template: readonly PropertyKey[]; readonly longRunning: boolean }>> = {
  'apps/Deployment': { template: ['spec', 'template'], longRunning: true },
  'apps/StatefulSet': { template: ['spec', 'template'], longRunning: true },
  'apps/DaemonSet': { template: ['spec', 'template'], longRunning: true },
  'apps/ReplicaSet': { template: ['spec', 'template'], longRunning: true },
  '/ReplicationController': { template: ['spec', 'template'], longRunning: true },
  'argoproj.io/Rollout': { template: ['spec', 'template'], longRunning: true },
  'batch/Job': { template: ['spec', 'template'], longRunning: false },
  'batch/CronJob': { template: ['spec', 'jobTemplate', 'spec', 'template'], longRunning: false },
};

/** The pod template of a workload, or of a bare Pod; undefined for an object that runs no pods. */
export function podTemplateOf(object: KubernetesObject): PodTemplate | undefined {
  const group = apiGroup(String(object.apiVersion));
  if (group === '' && object.kind === 'Pod') {
    const spec = asRecord(object.spec);
    if (!spec) return undefined;
    const restartPolicy = spec.restartPolicy ?? 'Always';
    return { object, specPath: ['spec'], spec, labels: asStringMap(object.metadata?.labels), longRunning: restartPolicy === 'Always' };
  }
  const shape = TEMPLATE_PATHS[`${group}/${object.kind}`];
  if (!shape) return undefined;
  const spec = asRecord(valueAt(object, [...shape.template, 'spec']));
  if (!spec) return undefined;
  return {
    object,
    specPath: [...shape.template, 'spec'],
    spec,
    labels: asStringMap(valueAt(object, [...shape.template, 'metadata', 'labels'])),
    longRunning: shape.longRunning,
  };
}

/** The pod templates of every object in `objects` that runs pods. */
export function podTemplates(objects: readonly KubernetesObject[]): PodTemplate[] {
  return objects.map(podTemplateOf).filter((template): template is PodTemplate => template !== undefined);
}

/** Init containers (and sidecars) first, in the order the kubelet starts them, then the main containers. */
export function containersOf(template: PodTemplate): ContainerEntry[] {
  const entries: ContainerEntry[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    asArray(template.spec[field]).forEach((value, index) => {
      const container = asRecord(value);
      if (!container) return;
      const role: ContainerRole = field === 'containers' ? 'container' : container.restartPolicy === 'Always' ? 'sidecar' : 'init';
      entries.push({ container, path: [...template.specPath, field, index], role });
    });
  }
  return entries;
}
