/**
 * The small value schemas dynenv.yaml is built from (names, quantities, hosts, images), shared by the schema
 * files of each section. Every message says what was expected; the loader adds where and what was found.
 */
import { z } from 'zod';
import { DNS1123_LABEL_MAX_LENGTH } from '../../contract/names.ts';

/** A name of DNS-1035 label syntax (without its length limit). */
export const dns1035Name = z.string({ error: 'expected a name' }).regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, {
  error: 'expected a lower-case name of letters, digits and "-", starting with a letter',
});

// A Service name must be a DNS-1035 label (it becomes a DNS name inside the cluster): it starts with a letter.
export const dns1035Label = dns1035Name.max(40, { error: 'expected at most 40 characters (object names get suffixes such as "-config")' });

const DNS1123_LABEL_MESSAGE = 'expected a DNS-1123 label (lower-case letters, digits and "-", starting and ending alphanumeric)';

/** A namespace or object name of DNS-1123 label syntax. */
export function dns1123Label(what: string) {
  return z
    .string({ error: `expected ${what}` })
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: DNS1123_LABEL_MESSAGE })
    .max(DNS1123_LABEL_MAX_LENGTH, { error: `expected at most ${DNS1123_LABEL_MAX_LENGTH} characters` });
}

export const namespaceName = dns1123Label('a namespace name');

/** A DNS-1123 subdomain: Secret, ConfigMap and most object names. */
export const objectName = z
  .string({ error: 'expected an object name' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: 'expected a DNS-1123 name (lower-case letters, digits, "-" and ".")',
  })
  .max(253, { error: 'expected at most 253 characters' });

const portMessage = 'expected an integer 1-65535';
export const port = z.int({ error: portMessage }).min(1, { error: portMessage }).max(65535, { error: portMessage });

/** A non-negative integer up to `max`, with one message for every way of getting it wrong. */
export function count(max: number, min = 0) {
  const message = `expected an integer ${min}-${max}`;
  return z.int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

export const replicas = count(1000);

// registry[:port]/path without a tag or digest: those come from the environment (kustomize `images:`).
export const IMAGE_REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)+$/;
export const imageRepository = z
  .string({ error: 'expected an image repository' })
  .regex(IMAGE_REPOSITORY, { error: 'expected an image repository without tag or digest, such as "ghcr.io/acme/api"' });

/** An image reference pinned by tag or digest, for images dynenv runs itself (plugin server, PostgreSQL). */
export const pinnedImage = z.string({ error: 'expected an image reference' }).superRefine((value, ctx) => {
  const match = /^(.+?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(value);
  if (match !== null && IMAGE_REPOSITORY.test(match[1]!) && (match[2] !== undefined || match[3] !== undefined)) return;
  ctx.addIssue({
    code: 'custom',
    message: `expected an image with a tag or digest, such as "ghcr.io/acme/dynenv:0.1.0" or "…@sha256:<64 hex>", got ${JSON.stringify(value)}`,
  });
});

/** An OCI image digest: `sha256:` and 64 lower-case hex digits. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
export const digest = z
  .string({ error: 'expected an image digest' })
  .regex(IMAGE_DIGEST, { error: 'expected an image digest "sha256:" followed by 64 lower-case hex digits' });

export const imageTag = z
  .string({ error: 'expected an image tag' })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'expected an image tag (letters, digits, "_", ".", "-")' });

export const httpPath = z.string({ error: 'expected a path' }).regex(/^\/[^\s]*$/, { error: 'expected a path starting with "/"' });

export const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
export const hostname = z
  .string({ error: 'expected a host name' })
  .regex(HOSTNAME, { error: 'expected a lower-case DNS host name such as "checkout.example.com"' });

export const CPU_QUANTITY = /^([0-9]+m|[0-9]+(\.[0-9]{1,3})?)$/;
export const cpuQuantity = quantity(CPU_QUANTITY, 'expected a CPU quantity such as "250m", "1" or 0.5');

export const MEMORY_QUANTITY = /^[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
export const memoryQuantity = quantity(MEMORY_QUANTITY, 'expected a memory quantity such as "256Mi" or "1Gi"');

/** Storage sizes are written like memory: "1Gi", "500Mi". */
export const storageQuantity = quantity(MEMORY_QUANTITY, 'expected a storage size such as "1Gi"');

/**
 * A Kubernetes quantity, written as a string or, as Kubernetes accepts too, a YAML number (`cpu: 1`, `cpu: 0.5`):
 * a number becomes its decimal string, and either must have the quantity's form.
 */
function quantity(form: RegExp, message: string) {
  return z
    .union([z.string(), z.number().nonnegative({ error: message })], { error: message })
    .transform((value) => (typeof value === 'number' ? decimal(value) : value))
    .pipe(z.string().regex(form, { error: message }));
}

/** 0.5 → "0.5", 1e3 → "1000": a number as Kubernetes reads it, never in exponent notation. */
function decimal(value: number): string {
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}

/** A label or annotation key, e.g. "app.kubernetes.io/name". */
export const labelKey = z
  .string({ error: 'expected a label key' })
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    error: 'expected a label key such as "app.kubernetes.io/name"',
  });

/** A label value: at most 63 characters of letters, digits, "-", "_" and ".", starting and ending alphanumeric. */
export const labelValue = z
  .string({ error: 'expected a label value' })
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, { error: 'expected a label value (letters, digits, "-", "_", ".")' })
  .max(63, { error: 'expected at most 63 characters' });

export const labelMap = z.record(labelKey, labelValue, { error: 'expected a map of label key to value' });

/** A group name of the cluster's authenticator (OIDC group, cloud IAM group). */
export const groupName = z.string({ error: 'expected a group name' }).min(1, { error: 'expected a group name' });

export const booleanFlag = z.boolean({ error: 'expected true or false' });

/** `owner/name` of a GitHub repository. */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
