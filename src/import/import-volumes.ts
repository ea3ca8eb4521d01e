/**
 * A pod's volumes in dynenv's terms (`volumes[]`, each with the main container's mount, and `volumeMounts` of init
 * containers): emptyDir, ConfigMap and Secret volumes, a StatefulSet's claim templates as `persistent`, and a
 * ConfigMap of the input that only this workload mounts as files of the repository (`files`). Any other volume,
 * and a second mount of one volume, is carried by the patch as written.
 */
import type { VolumeConfig, VolumeMountConfig } from '../config/volumes-schema.ts';
import type { WorkloadPatch } from './pod-patch.ts';
import type { Json } from './json.ts';

/** A ConfigMap of the input this workload alone mounts, to be written as repository files. */
export interface FileSource {
  /** The ConfigMap's data (text keys). */
  readonly data: Readonly<Record<string, string>>;
  /** Folder of the files, relative to dynenv.yaml, e.g. "config/curator-config". */
  readonly folder: string;
}

export interface ImportedVolumes {
  readonly volumes: VolumeConfig[];
  /** Mounts of each init container, by its name. */
  readonly initMounts: Map<string, VolumeMountConfig[]>;
  /** Repository files to write (path relative to dynenv.yaml → text). */
  readonly files: Map<string, string>;
  readonly notes: string[];
}

const TMP = '/tmp';
const FILE_KEY = /^[-._a-zA-Z0-9]+$/;

export interface VolumeInput {
  readonly pod: Json;
  readonly main: Json;
  readonly claimTemplates: readonly Json[];
  readonly fileSources: ReadonlyMap<string, FileSource>;
  readonly patch: WorkloadPatch;
  /** How notes name the service. */
  readonly where: string;
}

export function importVolumes(input: VolumeInput): ImportedVolumes {
  const { pod, main, patch, where } = input;
  const volumes: VolumeConfig[] = [];
  const files = new Map<string, string>();
  const notes: string[] = [];
  const carried = new Map<string, VolumeConfig>();
  const renamed = new Map<string, string>(); // upstream /tmp emptyDir → dynenv's "tmp"
  const podVolumes: Json[] = [...(pod.volumes ?? []), ...input.claimTemplates.map((claim) => ({ name: claim.metadata?.name, claim }))];
  const mainMounts: Json[] = main.volumeMounts ?? [];

  for (const volume of podVolumes) {
    const mounts = mainMounts.filter((mount) => mount.name === volume.name);
    if (volume.emptyDir && mounts.length === 1 && mounts[0]!.mountPath === TMP && !mounts[0]!.subPath) {
      renamed.set(volume.name, 'tmp');
      notes.push(`${where}: volume ${volume.name} on /tmp is dynenv's own /tmp emptyDir`);
      continue;
    }
    const source = volumeSource(volume, input.fileSources, files);
    if (source === undefined) {
      patch.volume(volume);
      for (const mount of mounts) patch.container('containers', main.name, { volumeMounts: [mount] });
      notes.push(
        `${where}: volume ${volume.name} (${Object.keys(volume)
          .filter((key) => key !== 'name')
          .join(', ')}) has no field in dynenv.yaml: carried by the patch`,
      );
      continue;
    }
    const [first, ...more] = mounts;
    const config = {
      name: volume.name,
      ...(first && { mountPath: first.mountPath }),
      ...(first?.readOnly && { readOnly: true }),
      ...(first?.subPath && { subPath: first.subPath }),
      ...source,
    } as VolumeConfig;
    for (const mount of more) patch.container('containers', main.name, { volumeMounts: [mount] });
    if (more.length > 0)
      notes.push(`${where}: volume ${volume.name} is mounted ${mounts.length} times in the main container: the other mounts are in the patch`);
    const extra = first && Object.keys(first).filter((key) => !['name', 'mountPath', 'readOnly', 'subPath'].includes(key));
    if (extra && extra.length > 0) {
      patch.container('containers', main.name, { volumeMounts: [first] });
      notes.push(`${where}: mount of ${volume.name} sets ${extra.join(', ')}: carried by the patch`);
    }
    volumes.push(config);
    carried.set(volume.name, config);
  }

  const initMounts = new Map<string, VolumeMountConfig[]>();
  for (const container of (pod.initContainers ?? []) as Json[]) {
    const mounts: VolumeMountConfig[] = [];
    for (const mount of (container.volumeMounts ?? []) as Json[]) {
      const name = renamed.get(mount.name) ?? mount.name;
      if (name === 'tmp' && mount.mountPath === TMP) continue; // dynenv mounts /tmp into every container
      if (!carried.has(name) && name !== 'tmp') {
        patch.container('initContainers', container.name, { volumeMounts: [mount] });
        continue;
      }
      mounts.push({ name, mountPath: mount.mountPath, ...(mount.readOnly && { readOnly: true }), ...(mount.subPath && { subPath: mount.subPath }) });
    }
    initMounts.set(container.name, mounts);
  }
  return { volumes, initMounts, files, notes };
}

/** The source of a volume in dynenv's terms, or undefined when dynenv has no word for it. */
function volumeSource(volume: Json, fileSources: ReadonlyMap<string, FileSource>, files: Map<string, string>): Partial<VolumeConfig> | undefined {
  if (volume.claim) return { persistent: persistent(volume.claim) };
  if (volume.emptyDir) {
    const { medium, sizeLimit } = volume.emptyDir;
    return { emptyDir: { ...(medium === 'Memory' && { medium }), ...(sizeLimit !== undefined && { sizeLimit: String(sizeLimit) }) } };
  }
  if (volume.configMap) {
    const fileSource = fileSources.get(volume.configMap.name);
    const items: Json[] | undefined = volume.configMap.items;
    if (fileSource && volume.configMap.defaultMode === undefined && (items ?? []).every((item) => FILE_KEY.test(item.path) && item.mode === undefined)) {
      const keys = items ? items.map((item) => [item.path, item.key] as const) : Object.keys(fileSource.data).map((key) => [key, key] as const);
      const mapped: Record<string, string> = {};
      for (const [fileName, key] of keys) {
        const file = `${fileSource.folder}/${key}`;
        files.set(file, fileSource.data[key] ?? '');
        mapped[fileName] = file;
      }
      return { files: mapped };
    }
    return { configMap: objectSource(volume.configMap, volume.configMap.name) };
  }
  if (volume.secret) return { secret: objectSource(volume.secret, volume.secret.secretName) };
  return undefined;
}

function objectSource(source: Json, name: string): NonNullable<VolumeConfig['configMap']> {
  return {
    name,
    ...(source.items && { items: source.items.map((item: Json) => ({ key: item.key, path: item.path })) }),
    ...(source.optional !== undefined && { optional: source.optional }),
    ...(source.defaultMode !== undefined && { defaultMode: source.defaultMode }),
  };
}

function persistent(claim: Json): NonNullable<VolumeConfig['persistent']> {
  const spec = claim.spec ?? {};
  const modes: string[] = spec.accessModes ?? ['ReadWriteOnce'];
  const storageClass = spec.storageClassName ?? claim.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  return {
    size: String(spec.resources?.requests?.storage ?? '1Gi'),
    ...(!(modes.length === 1 && modes[0] === 'ReadWriteOnce') && { accessModes: modes }),
    ...(storageClass !== undefined && { storageClass }),
  } as NonNullable<VolumeConfig['persistent']>;
}
