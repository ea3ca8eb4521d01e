/**
 * Environment variables of a container: literal values (kept in the service's ConfigMap, hashed onto the pod
 * template so that a change rolls the pods) and references to a Secret key, a ConfigMap key or a field of the
 * pod (written into the container's `env:`, where Kubernetes resolves them).
 */
import { z } from 'zod';
import { literalEnvProblem } from './env-checks.ts';
import { objectName } from './primitives.ts';

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const keyReference = (kind: string) =>
  z.strictObject({
    name: objectName.meta({ description: `Name of the ${kind}. Required.` }),
    key: z
      .string({ error: 'expected a key' })
      .regex(/^[-._a-zA-Z0-9]+$/, { error: 'expected a key of letters, digits, "-", "_" and "."' })
      .meta({ description: `Key inside the ${kind}. Required.` }),
    optional: z
      .boolean({ error: 'expected true or false' })
      .optional()
      .meta({
        description: `Start the container even when the ${kind} or key is missing (the variable is then unset). Default: false.`,
      }),
  });

const FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
] as const;

const LABEL_OR_ANNOTATION = /^metadata\.(labels|annotations)\['[^']+'\]$/;

/** Whether `path` is a pod field dynenv.yaml's `env` may read (`fieldRef`); `dynenv init` imports only those. */
export function isPodFieldPath(path: string): boolean {
  return (FIELD_PATHS as readonly string[]).includes(path) || LABEL_OR_ANNOTATION.test(path);
}

const fieldPath = z.string({ error: 'expected a pod field such as "status.podIP"' }).refine(isPodFieldPath, {
  error: `expected a pod field: one of ${FIELD_PATHS.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`,
});

/** A variable whose value Kubernetes reads at pod start. */
export const envReferenceSchema = z.union(
  [
    z.strictObject({ secretKeyRef: keyReference('Secret').meta({ description: 'A key of a Secret in the namespace. Required.' }) }),
    z.strictObject({ configMapKeyRef: keyReference('ConfigMap').meta({ description: 'A key of a ConfigMap in the namespace. Required.' }) }),
    z.strictObject({ fieldRef: fieldPath.meta({ description: 'A field of the pod, e.g. "status.podIP". Required.' }) }),
  ],
  { error: 'expected a value, or one of {secretKeyRef: {name, key}}, {configMapKeyRef: {name, key}} or {fieldRef: <pod field>}' },
);
export type EnvReference = z.infer<typeof envReferenceSchema>;
export type EnvValue = string | EnvReference;

// YAML reads `PORT: 8080` as a number and `DEBUG: true` as a boolean; a container env var is always a string.
const literal = z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value));

const envRecord = z.record(
  z.string().regex(envVarName, { error: 'expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*)' }),
  z.union([literal, envReferenceSchema], {
    error: 'expected a string, number or boolean, or one of {secretKeyRef: {name, key}}, {configMapKeyRef: {name, key}}, {fieldRef: <pod field>}',
  }),
);

/**
 * Variables by name. Checked on the map as written, before zod's record reads it: a record skips a "__proto__"
 * key without a word (and cdk8s and JSON patch refuse one by design, against prototype pollution), so it is
 * refused here by name; every other name (constructor, toString...) is carried. A literal may not look like a
 * secret nor exceed what a process accepts (env-checks.ts).
 */
export const envMap = z.preprocess((value, ctx) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  for (const [name, entry] of Object.entries(value)) {
    if (name === '__proto__') {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: '"__proto__" cannot name a variable: the tools that write the manifests refuse it as a key. Rename it',
      });
    } else if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean') {
      const problem = literalEnvProblem(name, String(entry));
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  }
  return value;
}, envRecord);

/** Whether an env value is a literal (kept in the ConfigMap) rather than a reference. */
export function isLiteral(value: EnvValue): value is string {
  return typeof value === 'string';
}

/** A whole ConfigMap or Secret read as variables. */
export const envFromSchema = z
  .array(
    z
      .strictObject({
        configMap: objectName.optional().meta({ description: 'A ConfigMap whose keys become variables. Default: none.' }),
        secret: objectName.optional().meta({ description: 'A Secret whose keys become variables. Default: none.' }),
        prefix: z
          .string({ error: 'expected a string' })
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected a prefix of letters, digits and "_"' })
          .optional()
          .meta({ description: 'Prefix added to every variable name. Default: none.' }),
        optional: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'Start even when it is missing. Default: false.' }),
      })
      .refine((source) => (source.configMap === undefined) !== (source.secret === undefined), {
        error: 'expected exactly one of "configMap" or "secret"',
      }),
    { error: 'expected a list of {configMap: name} or {secret: name}' },
  )
  .default([])
  .meta({ description: 'ConfigMaps and Secrets whose every key becomes a variable; a variable of `env` with the same name wins. Default: [].' });
export type EnvFromConfig = z.infer<typeof envFromSchema>[number];
