/**
 * What a pod needs by name before it can run: its ServiceAccount, the ConfigMaps and Secrets of its volumes,
 * projected volumes, envFrom, env and imagePullSecrets (init containers and sidecars included), and its
 * PersistentVolumeClaims. References marked `optional: true` are left out, as Kubernetes starts the pod without
 * them, and so is the `default` ServiceAccount, which every namespace has.
 */
import { asArray, asRecord, asString } from './object-access.ts';
import { containersOf, type PodTemplate } from './pod-templates.ts';

export const POD_REFERENCE_KINDS = ['ServiceAccount', 'Secret', 'ConfigMap', 'PersistentVolumeClaim'] as const;
export type PodReferenceKind = (typeof POD_REFERENCE_KINDS)[number];

/** One reference by name from a pod to an object of its namespace. */
export interface PodReference {
  readonly kind: PodReferenceKind;
  readonly name: string;
  /** Where the name is written, inside the object that holds the pod template. */
  readonly path: readonly PropertyKey[];
  /** What it is for: `serviceAccountName`, `envFrom`, `env`, `volume`, `imagePullSecrets`. */
  readonly use: 'serviceAccountName' | 'envFrom' | 'env' | 'volume' | 'imagePullSecrets';
}

export function podReferences(template: PodTemplate): PodReference[] {
  const references: PodReference[] = [];
  const add = (kind: PodReferenceKind, use: PodReference['use'], holder: unknown, field: string, path: readonly PropertyKey[]) => {
    const record = asRecord(holder);
    const name = asString(record?.[field]);
    if (name && record?.optional !== true) references.push({ kind, name, path: [...path, field], use });
  };
  const { spec, specPath } = template;
  const serviceAccount = asString(spec.serviceAccountName) ?? asString(spec.serviceAccount);
  if (serviceAccount && serviceAccount !== 'default') {
    add('ServiceAccount', 'serviceAccountName', spec, spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount', specPath);
  }
  asArray(spec.imagePullSecrets).forEach((entry, index) => add('Secret', 'imagePullSecrets', entry, 'name', [...specPath, 'imagePullSecrets', index]));
  asArray(spec.volumes).forEach((value, index) => {
    const volume = asRecord(value);
    const path = [...specPath, 'volumes', index];
    add('ConfigMap', 'volume', volume?.configMap, 'name', [...path, 'configMap']);
    add('Secret', 'volume', volume?.secret, 'secretName', [...path, 'secret']);
    add('PersistentVolumeClaim', 'volume', volume?.persistentVolumeClaim, 'claimName', [...path, 'persistentVolumeClaim']);
    asArray(asRecord(volume?.projected)?.sources).forEach((source, sourceIndex) => {
      const sourcePath = [...path, 'projected', 'sources', sourceIndex];
      add('ConfigMap', 'volume', asRecord(source)?.configMap, 'name', [...sourcePath, 'configMap']);
      add('Secret', 'volume', asRecord(source)?.secret, 'name', [...sourcePath, 'secret']);
    });
  });
  for (const { container, path } of containersOf(template)) {
    asArray(container.envFrom).forEach((value, index) => {
      const source = asRecord(value);
      add('ConfigMap', 'envFrom', source?.configMapRef, 'name', [...path, 'envFrom', index, 'configMapRef']);
      add('Secret', 'envFrom', source?.secretRef, 'name', [...path, 'envFrom', index, 'secretRef']);
    });
    asArray(container.env).forEach((value, index) => {
      const from = asRecord(asRecord(value)?.valueFrom);
      add('ConfigMap', 'env', from?.configMapKeyRef, 'name', [...path, 'env', index, 'valueFrom', 'configMapKeyRef']);
      add('Secret', 'env', from?.secretKeyRef, 'name', [...path, 'env', index, 'valueFrom', 'secretKeyRef']);
    });
  }
  return references;
}
