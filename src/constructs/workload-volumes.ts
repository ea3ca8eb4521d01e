/**
 * A service's volumes as its pod spec holds them: /tmp, then the declared ones (persistent volumes are the
 * StatefulSet's volumeClaimTemplates, not pod volumes), and where the main container mounts them.
 */
import { createHash } from 'node:crypto';
import * as kplus from 'cdk8s-plus-28';
import type { ResolvedStorage } from '../config/resolve.ts';
import type { VolumeConfig, VolumeMountConfig } from '../config/volumes-schema.ts';
import { TMP_MOUNT, TMP_VOLUME } from './pod-security.ts';

/** The ConfigMap synth generates for a `files` volume. */
export function filesConfigMapName(service: string, volume: string): string {
  return `${service}-${volume}`;
}

export function podVolumes(service: string, volumes: readonly VolumeConfig[]): kplus.k8s.Volume[] {
  const declared = volumes.flatMap((volume): kplus.k8s.Volume[] => {
    const { name } = volume;
    if (volume.emptyDir) {
      const { medium, sizeLimit } = volume.emptyDir;
      return [{ name, emptyDir: { ...(medium && { medium }), ...(sizeLimit && { sizeLimit: kplus.k8s.Quantity.fromString(sizeLimit) }) } }];
    }
    if (volume.configMap) {
      const { name: configMap, items, optional, defaultMode } = volume.configMap;
      return [{ name, configMap: { name: configMap, ...(items && { items: items.map((item) => ({ ...item })) }), optional, defaultMode } }];
    }
    if (volume.secret) {
      const { name: secret, items, optional, defaultMode } = volume.secret;
      return [{ name, secret: { secretName: secret, ...(items && { items: items.map((item) => ({ ...item })) }), optional, defaultMode } }];
    }
    if (volume.files) return [{ name, configMap: { name: filesConfigMapName(service, name) } }];
    return [];
  });
  return [TMP_VOLUME, ...declared];
}

/** The main container's mounts: /tmp and every volume with a mount path. */
export function mainMounts(volumes: readonly VolumeConfig[]): kplus.k8s.VolumeMount[] {
  return [
    TMP_MOUNT,
    ...volumes.flatMap((volume) =>
      volume.mountPath === undefined ? [] : [mount({ name: volume.name, mountPath: volume.mountPath, readOnly: volume.readOnly, subPath: volume.subPath })],
    ),
  ];
}

/** An init container's or sidecar's mounts: /tmp unless it mounts something else there, and what it names. */
export function containerMounts(mounts: readonly VolumeMountConfig[]): kplus.k8s.VolumeMount[] {
  const own = mounts.map(mount);
  return own.some((entry) => entry.mountPath === TMP_MOUNT.mountPath) ? own : [TMP_MOUNT, ...own];
}

function mount(config: VolumeMountConfig): kplus.k8s.VolumeMount {
  return {
    name: config.name,
    mountPath: config.mountPath,
    ...(config.readOnly !== undefined && { readOnly: config.readOnly }),
    ...(config.subPath !== undefined && { subPath: config.subPath }),
  };
}

/** The claims a StatefulSet makes per pod, with the environment's size and StorageClass, as plain JSON (for patches). */
export function claimTemplates(storage: Readonly<Record<string, ResolvedStorage>>) {
  return Object.entries(storage).map(([name, claim]) => ({
    metadata: { name },
    spec: {
      accessModes: [...claim.accessModes],
      ...(claim.storageClass !== undefined && { storageClassName: claim.storageClass }),
      resources: { requests: { storage: claim.size } },
    },
  }));
}

/** The same claims as cdk8s' typed props. */
export function volumeClaimTemplates(storage: Readonly<Record<string, ResolvedStorage>>): kplus.k8s.KubePersistentVolumeClaimProps[] {
  return claimTemplates(storage).map((claim) => ({
    ...claim,
    spec: { ...claim.spec, resources: { requests: { storage: kplus.k8s.Quantity.fromString(claim.spec.resources.requests.storage) } } },
  }));
}

/** First 16 hex digits of the SHA-256 of the generated files, so that a changed file rolls the pods. */
export function filesHash(files: ReadonlyMap<string, string>): string {
  const canonical = JSON.stringify([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
