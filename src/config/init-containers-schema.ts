/**
 * Containers beside a service's main container: init containers, which run to completion in order before it
 * starts, and native sidecars (`sidecar: true`: Kubernetes' init containers with restartPolicy Always), which start
 * in that order and keep running beside it.
 */
import { z } from 'zod';
import { envFromSchema, envMap } from './env-schema.ts';
import { builtHereSchema, imageSchema } from './image-schema.ts';
import { portsSchema } from './ports-schema.ts';
import { dns1123Label } from './primitives.ts';
import { probesSchema } from './probes-schema.ts';
import { resourcesSchema } from './resources-schema.ts';
import { volumeMountSchema } from './volumes-schema.ts';

const strings = z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' });

export const initContainerSchema = z.strictObject({
  name: dns1123Label('a container name').meta({ description: 'Name of the container, unique in the pod. Required.' }),
  image: imageSchema,
  builtHere: builtHereSchema,
  sidecar: z.boolean({ error: 'expected true or false' }).default(false).meta({
    description: 'Keep it running beside the main container (a native sidecar, Kubernetes 1.29+) instead of running it to completion first. Default: false.',
  }),
  command: strings.optional().meta({ description: "Container command. Default: the image's." }),
  args: strings.optional().meta({ description: "Container arguments. Default: the image's." }),
  env: envMap.default({}).meta({ description: "Environment variables of this container (a value, or a reference as in the service's `env`). Default: {}." }),
  envFrom: envFromSchema,
  resources: resourcesSchema.default({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }).meta({
    description: 'Requests and limits. Default: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } }.',
  }),
  volumeMounts: z
    .array(volumeMountSchema, { error: 'expected a list of volume mounts' })
    .default([])
    .meta({ description: 'Volumes of the service this container mounts (by name); /tmp is always mounted. Default: [].' }),
  ports: portsSchema.meta({ description: "A sidecar's ports (not on the service's Service). Default: none." }),
  probes: probesSchema.meta({
    description: "A sidecar's readiness, liveness and startup probes, each with one check (http, grpc, tcp or exec), or false. Default: none.",
  }),
});
export type InitContainerConfig = z.infer<typeof initContainerSchema>;

export const initContainersSchema = z
  .array(initContainerSchema, { error: 'expected a list of containers' })
  .default([])
  .meta({ description: 'Init containers and native sidecars, started in this order before the main container. Default: [].' });
