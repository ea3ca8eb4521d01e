/**
 * The escape hatch: kustomize patches dynenv.yaml carries into the tree for what the workload model cannot say.
 * A patch is a strategic merge (`patch`: the fields to set, as in the object) or a JSON 6902 list of operations
 * (`jsonPatch`), on one object named by `target`. Synthesis writes each to the folder's `patches/`, after
 * dynenv's own patches, so the user's word is the last.
 */
import { z } from 'zod';
import { objectName } from './primitives.ts';

const KIND = /^[A-Z][A-Za-z0-9]*$/;
const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;

/**
 * apiVersion of the kinds an overlay holds, so that a target needs only kind and name. Another kind needs its
 * `apiVersion`.
 */
export const KNOWN_API_VERSIONS: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  CronJob: 'batch/v1',
  Job: 'batch/v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  PersistentVolumeClaim: 'v1',
  Namespace: 'v1',
  ResourceQuota: 'v1',
  LimitRange: 'v1',
  Ingress: 'networking.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
};

export const patchTargetSchema = z.strictObject({
  kind: z
    .string({ error: 'expected a kind such as "Deployment"' })
    .regex(KIND, { error: 'expected a kind such as "Deployment" (upper camel case)' })
    .meta({ description: 'Kind of the object to patch. Required.' }),
  name: objectName.meta({ description: 'Name of the object to patch, as in the base (without namespace). Required.' }),
  apiVersion: z
    .string({ error: 'expected an apiVersion such as "apps/v1"' })
    .regex(API_VERSION, { error: 'expected an apiVersion such as "apps/v1" or "v1"' })
    .optional()
    .meta({ description: `apiVersion of the object. Default: known for ${Object.keys(KNOWN_API_VERSIONS).join(', ')}; required for other kinds.` }),
});
export type PatchTarget = z.infer<typeof patchTargetSchema>;

const JSON_POINTER = /^(\/([^~]|~[01])*)*$/;
const pointer = z
  .string({ error: 'expected a JSON pointer such as "/spec/template/spec/hostAliases"' })
  .regex(JSON_POINTER, { error: 'expected a JSON pointer such as "/spec/template/spec/hostAliases" ("~0" for "~", "~1" for "/")' });

const OPERATIONS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
const jsonPatchOperation = z
  .strictObject({
    op: z.enum(OPERATIONS, { error: `expected one of ${OPERATIONS.map((op) => `"${op}"`).join(', ')}` }).meta({ description: 'The operation. Required.' }),
    path: pointer.meta({ description: 'Where it applies. Required.' }),
    value: z.unknown().optional().meta({ description: 'The value (add, replace, test). Default: none.' }),
    from: pointer.optional().meta({ description: 'Where it moves or copies from (move, copy). Default: none.' }),
  })
  .superRefine((operation, ctx) => {
    if (['add', 'replace', 'test'].includes(operation.op) && operation.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${operation.op}" needs a value` });
    }
    if (['move', 'copy'].includes(operation.op) && operation.from === undefined) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `"${operation.op}" needs "from"` });
    }
  });
export type JsonPatchOperation = z.infer<typeof jsonPatchOperation>;

const strategicMergeBody = z
  .record(z.string(), z.unknown(), { error: 'expected the fields to set, as a map (e.g. { spec: { template: ... } })' })
  .superRefine((body, ctx) => {
    for (const key of ['apiVersion', 'kind'] as const) {
      if (key in body) ctx.addIssue({ code: 'custom', path: [key], message: 'comes from "target": leave it out of the patch' });
    }
    const metadata = body.metadata;
    if (typeof metadata === 'object' && metadata !== null) {
      for (const key of ['name', 'namespace'] as const) {
        if (key in metadata) {
          ctx.addIssue({ code: 'custom', path: ['metadata', key], message: 'comes from "target" and the environment: leave it out of the patch' });
        }
      }
    }
  });

function patchSchema(targetDescription: string, targetRequired: boolean) {
  const target = targetRequired ? patchTargetSchema : patchTargetSchema.optional();
  return z
    .strictObject({
      patch: strategicMergeBody.optional().meta({
        description: 'A strategic merge patch: the fields to set, as they sit in the object (lists of containers merge by name). Default: none.',
      }),
      jsonPatch: z
        .array(jsonPatchOperation, { error: 'expected a list of JSON 6902 operations ({op, path, value})' })
        .min(1, { error: 'expected at least one operation' })
        .optional()
        .meta({
          description: 'A JSON 6902 patch: operations applied in order, for what a merge cannot do (remove a field, edit a list by index). Default: none.',
        }),
      target: target.meta({ description: targetDescription }),
    })
    .superRefine((entry, ctx) => {
      const given = (['patch', 'jsonPatch'] as const).filter((key) => entry[key] !== undefined);
      if (given.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: given.length === 0 ? 'expected "patch" or "jsonPatch"' : 'expected one of "patch" or "jsonPatch", got both',
        });
      }
      const kind = entry.target?.kind;
      if (kind !== undefined && entry.target?.apiVersion === undefined && KNOWN_API_VERSIONS[kind] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['target', 'apiVersion'],
          message: `required for kind ${kind}, e.g. "cert-manager.io/v1" (dynenv knows the apiVersion of the kinds it writes only)`,
        });
      }
    });
}

const PATCHES_DESCRIPTION =
  'Kustomize patches for what the workload model cannot say (the escape hatch): each { patch: {fields} } (strategic merge) or ' +
  "{ jsonPatch: [{op, path, value}] } (JSON 6902), applied after dynenv's own; `validate` checks the result like the rest.";

/** `services[].patches` and `environments.<env>.services.<svc>.patches`: the target defaults to the service's workload. */
export const servicePatchesSchema = z
  .array(patchSchema("The object to patch: { kind, name, apiVersion }. Default: the service's workload (its Deployment, StatefulSet or CronJob).", false), {
    error: 'expected a list of patches',
  })
  .default([])
  .meta({ description: `${PATCHES_DESCRIPTION} Default: [].` });

/** `environments.<env>.patches`: any object of the overlay, so the target is required. */
export const environmentPatchesSchema = z
  .array(patchSchema('The object of the overlay to patch: { kind, name, apiVersion }. Required.', true), { error: 'expected a list of patches' })
  .default([])
  .meta({ description: `${PATCHES_DESCRIPTION} Each names its target. Default: [].` });

export type PatchConfig = z.infer<typeof servicePatchesSchema>[number];
