/** What a service says about its pods as a whole: metadata, identity, shutdown and the user they run as. */
import { z } from 'zod';
import { count, labelKey, labelMap } from './primitives.ts';

const uid = count(2147483647);

export const podAnnotationsSchema = z
  .record(labelKey, z.string({ error: 'expected a string' }), { error: 'expected a map of annotation key to value' })
  .optional()
  .meta({ description: 'Annotations of the pods, e.g. { sidecar.istio.io/rewriteAppHTTPProbers: "true" }. Default: none.' });

export const podLabelsSchema = labelMap
  .optional()
  .meta({ description: 'Labels of the pods besides the selector labels dynenv sets (app.kubernetes.io/name, part-of). Default: none.' });

export const terminationGracePeriodSchema = count(86400)
  .optional()
  .meta({
    description:
      'Seconds a pod gets to stop, from the start of its preStop sleep to SIGKILL; must be longer than the sleep. ' +
      "Default: preStopSleepSeconds + 30 where there is a sleep, else Kubernetes' 30.",
  });

export const preStopSleepSchema = count(3600)
  .optional()
  .meta({
    description:
      'Seconds the main container waits before SIGTERM when its pod stops, so that Services, the ingress controller and load ' +
      'balancers stop sending it requests first (`lifecycle.preStop.sleep`, Kubernetes 1.30+); 0 for none. Raise it behind a ' +
      'load balancer that deregisters targets slowly. Default: 5 for a Deployment or StatefulSet with ports (at most half of ' +
      'terminationGracePeriodSeconds where that is set), else 0.',
  });

export const serviceAccountSchema = z
  .strictObject({
    annotations: z
      .record(labelKey, z.string({ error: 'expected a string' }), { error: 'expected a map of annotation key to value' })
      .optional()
      .meta({ description: 'Annotations of the ServiceAccount, e.g. a cloud workload identity binding. Default: none.' }),
    automountToken: z.boolean({ error: 'expected true or false' }).default(false).meta({
      description: 'Mount a Kubernetes API token into the pods (only for a service that calls the API server). Default: false.',
    }),
  })
  .optional()
  .meta({ description: "The service's own ServiceAccount, named after it. Default: no annotations, no token mounted." });

/** Capabilities a container may add; `restricted` admits NET_BIND_SERVICE only, `baseline` the rest of this list. */
export const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
] as const;

export const securityContextSchema = z
  .strictObject({
    runAsUser: uid.optional().meta({ description: 'User the containers run as; 0 (root) needs podSecurity: baseline. Default: 65532 (distroless "nonroot").' }),
    runAsGroup: uid.optional().meta({ description: 'Primary group of the containers. Default: the user.' }),
    fsGroup: uid.optional().meta({ description: 'Group that owns the volumes. Default: the group.' }),
    readOnlyRootFilesystem: z.boolean({ error: 'expected true or false' }).default(true).meta({
      description: "Keep the image's file system read-only (writable paths are volumes; /tmp always is). Default: true.",
    }),
    allowPrivilegeEscalation: z.boolean({ error: 'expected true or false' }).default(false).meta({
      description: 'Let a process gain more privileges than its parent (setuid binaries); needs podSecurity: baseline. Default: false.',
    }),
    capabilities: z
      .strictObject({
        add: z
          .array(z.string().regex(/^[A-Z_]+$/, { error: 'expected a capability such as "NET_BIND_SERVICE" (upper case, no CAP_ prefix)' }))
          .default([])
          .meta({
            description:
              'Capabilities added after all are dropped: NET_BIND_SERVICE is admitted by restricted, the others of Pod Security ' +
              "baseline's list (CHOWN, SETUID, ...) need baseline, any other privileged. Default: [].",
          }),
      })
      .optional()
      .meta({ description: 'Linux capabilities. Default: all dropped, none added.' }),
  })
  .optional()
  .meta({
    description:
      'Who the containers run as and what they may do; anything beyond Pod Security "restricted" must be admitted by each ' +
      "environment's podSecurity (synth says which). Default: non-root 65532, read-only root, no escalation, no capabilities.",
  });
export type SecurityContextConfig = NonNullable<z.infer<typeof securityContextSchema>>;
