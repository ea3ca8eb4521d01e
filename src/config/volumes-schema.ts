/**
 * The volumes of a service: scratch space, ConfigMaps and Secrets of the namespace, ConfigMaps generated from
 * files of the repository, and persistent storage (a StatefulSet's volumeClaimTemplate). Each is mounted into the
 * main container at `mountPath`, and into init containers and sidecars by name.
 */
import { z } from 'zod';
import { count, dns1123Label, objectName, storageQuantity } from './primitives.ts';

const absolutePath = z
  .string({ error: 'expected an absolute path' })
  .regex(/^\/[^\0]*$/, { error: 'expected an absolute path such as "/data"' })
  .refine((path) => !path.split('/').includes('..'), { error: 'expected a path without ".."' });

const relativePath = z
  .string({ error: 'expected a relative path' })
  .regex(/^[^/\0][^\0]*$/, { error: 'expected a relative path such as "redis.conf"' })
  .refine((path) => !path.split('/').includes('..'), { error: 'expected a path without ".."' });

/** A path of the repository, relative to the folder of dynenv.yaml, that stays inside it. */
export const repositoryPath = z
  .string({ error: 'expected a path relative to dynenv.yaml' })
  .regex(/^(?!\/)(?![A-Za-z]:)[^\0\\]+$/, { error: 'expected a path relative to the folder of dynenv.yaml, with "/" between folders' })
  .refine((path) => !path.split('/').includes('..'), { error: 'expected a path inside the repository (no "..")' });

const configKey = z
  .string({ error: 'expected a key' })
  .regex(/^[-._a-zA-Z0-9]+$/, { error: 'expected a key of letters, digits, "-", "_" and "." (a ConfigMap key)' })
  .max(253, { error: 'expected at most 253 characters' });

const mode = count(0o777).optional().meta({ description: 'File mode bits of the files, e.g. 0o440 (288). Default: 0644 (420).' });

const items = z
  .array(
    z.strictObject({
      key: configKey.meta({ description: 'Key to project. Required.' }),
      path: relativePath.meta({ description: 'File the key becomes, relative to the mount path. Required.' }),
    }),
    { error: 'expected a list of {key, path}' },
  )
  .min(1)
  .optional()
  .meta({ description: 'Only these keys, each as the file `path`. Default: every key, each as a file named after it.' });

const objectSource = (kind: string) =>
  z.strictObject({
    name: objectName.meta({ description: `Name of the ${kind} in the namespace. Required.` }),
    items,
    optional: z
      .boolean({ error: 'expected true or false' })
      .optional()
      .meta({ description: `Start the pod without the ${kind}. Default: false.` }),
    defaultMode: mode,
  });

const ACCESS_MODES = ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteMany'] as const;

export const persistentSchema = z.strictObject({
  size: storageQuantity.default('1Gi').meta({ description: 'Size of each pod\'s claim (environments may override it). Default: "1Gi".' }),
  accessModes: z
    .array(z.enum(ACCESS_MODES, { error: `expected one of ${ACCESS_MODES.map((value) => `"${value}"`).join(', ')}` }))
    .min(1)
    .default(['ReadWriteOnce'])
    .meta({ description: 'Access modes of the claim. Default: ["ReadWriteOnce"].' }),
  storageClass: objectName.optional().meta({
    description:
      "StorageClass of the claim; an environment's `storageClass` overrides it. Default: `cluster.storageClassName` (or the platform's), else the cluster's default StorageClass.",
  }),
});

export const volumeSchema = z
  .strictObject({
    name: dns1123Label('a volume name').meta({ description: 'Name of the volume, unique in the service (init containers mount it by name). Required.' }),
    mountPath: absolutePath
      .optional()
      .meta({ description: 'Where the main container sees it. Default: not mounted in the main container (only where initContainers mount it).' }),
    readOnly: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'Mount it read-only. Default: false.' }),
    subPath: relativePath.optional().meta({ description: 'Mount only this file or folder of the volume. Default: the whole volume.' }),
    emptyDir: z
      .strictObject({
        medium: z.enum(['Memory'], { error: 'expected "Memory"' }).optional().meta({ description: "Memory for a tmpfs. Default: the node's disk." }),
        sizeLimit: storageQuantity.optional().meta({ description: 'Most it may hold before the pod is evicted. Default: no limit.' }),
      })
      .optional()
      .meta({ description: 'Scratch space that lives as long as the pod. Default: none.' }),
    configMap: objectSource('ConfigMap').optional().meta({ description: 'A ConfigMap of the namespace, as files. Default: none.' }),
    secret: objectSource('Secret').optional().meta({ description: 'A Secret of the namespace, as files. Default: none.' }),
    files: z
      .record(configKey, repositoryPath, { error: 'expected a map of file name to a path in the repository' })
      .refine((files) => Object.keys(files).length > 0, { error: 'expected at least one file' })
      .optional()
      .meta({
        description:
          'Files of the repository (paths relative to dynenv.yaml) in a ConfigMap "<service>-<volume>" that synth generates, ' +
          'e.g. { redis.conf: config/redis.conf }. Default: none.',
      }),
    persistent: persistentSchema
      .optional()
      .meta({ description: "A PersistentVolumeClaim per pod (a StatefulSet's volumeClaimTemplate); needs kind: StatefulSet. Default: none." }),
  })
  .superRefine((volume, ctx) => {
    const sources = (['emptyDir', 'configMap', 'secret', 'files', 'persistent'] as const).filter((source) => volume[source] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          sources.length === 0
            ? 'expected one of "emptyDir", "configMap", "secret", "files" or "persistent"'
            : `expected one source, got ${sources.join(' and ')}`,
      });
    }
  });
export type VolumeConfig = z.infer<typeof volumeSchema>;

export const volumesSchema = z
  .array(volumeSchema, { error: 'expected a list of volumes' })
  .default([])
  .meta({ description: 'Volumes of the pod, mounted into the main container at their `mountPath`; /tmp is always there. Default: [].' });

/** Where an init container or sidecar mounts a volume of the service. */
export const volumeMountSchema = z.strictObject({
  name: dns1123Label('a volume name').meta({ description: 'Name of one of the service\'s volumes (or "tmp"). Required.' }),
  mountPath: absolutePath.meta({ description: 'Where the container sees it. Required.' }),
  readOnly: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'Mount it read-only. Default: false.' }),
  subPath: relativePath.optional().meta({ description: 'Mount only this file or folder of the volume. Default: the whole volume.' }),
});
export type VolumeMountConfig = z.infer<typeof volumeMountSchema>;
