/**
 * What a literal environment variable may not be. Its value is committed to Git in a ConfigMap and handed to the
 * container's process, so it must not be a secret, and it must fit in what a process accepts.
 */
import { hasUrlCredentials } from '../../contract/redact-credentials.ts';

/**
 * The longest "NAME=value" string Linux passes to a process (MAX_ARG_STRLEN, 32 pages of 4 KiB, including the
 * terminating NUL): a longer variable makes the container's exec fail with E2BIG.
 */
export const MAX_ENV_VARIABLE_BYTES = 128 * 1024;

/** A Kubernetes ConfigMap's data may hold at most 1 MiB (the API server refuses a larger one). */
export const MAX_CONFIGMAP_DATA_BYTES = 1024 * 1024;

/** Last words of a name that say the variable holds a secret: `DB_PASSWORD`, `JWT_SECRET`, `GITHUB_TOKEN`. */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PASSPHRASE', 'SECRET', 'TOKEN', 'CREDENTIALS', 'APIKEY']);

/**
 * Words before a last `KEY` that make it a secret: `API_KEY`, `AWS_SECRET_ACCESS_KEY`. A bare `_KEY` is not one:
 * `CACHE_KEY`, `SORT_KEY`, `PUBLIC_KEY` or `PARTITION_KEY` name something else far more often than a secret.
 */
const SECRET_KEY_WORDS = new Set(['API', 'PRIVATE', 'SECRET', 'ACCESS', 'SIGNING', 'ENCRYPTION', 'MASTER', 'CLIENT']);

/** Last words that only say how a secret is written (`JWT_SECRET_BASE64`, `SECRET_KEY_BASE`): looked past. */
const FORMAT_WORDS = new Set(['B64', 'BASE64', 'HEX', 'PEM', 'JSON', 'BASE', 'VALUE']);

/**
 * Why a variable of this name and literal value looks like a secret, or undefined. The name counts by its last
 * word (after format words), so a name that describes a secret is not one: `DB_PASSWORD_FILE`, `TOKEN_TTL`,
 * `JWT_SECRET_NAME`, `AWS_ACCESS_KEY_ID`. The value counts whatever the name: a URL with credentials, a PEM
 * private key. "", "true" and "false" hold nothing to hide.
 */
export function secretLikeness(name: string, value: string): string | undefined {
  if (value === '' || value === 'true' || value === 'false') return undefined;
  if (hasUrlCredentials(value)) return 'its value is a URL with credentials in it';
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return 'its value is a private key';
  const words = name
    .toUpperCase()
    .split('_')
    .filter((word) => word !== '');
  while (words.length > 1 && FORMAT_WORDS.has(words.at(-1)!)) words.pop();
  const [last, before] = [words.at(-1), words.at(-2)];
  if (last !== undefined && SECRET_WORDS.has(last)) return `its name ends in ${last}`;
  if (last === 'KEY' && before !== undefined && SECRET_KEY_WORDS.has(before)) return `its name ends in ${before}_KEY`;
  return undefined;
}

/** One problem with a literal variable, as a message for its path in dynenv.yaml. */
export function literalEnvProblem(name: string, value: string): string | undefined {
  const size = Buffer.byteLength(`${name}=${value}`) + 1;
  if (size > MAX_ENV_VARIABLE_BYTES) {
    return (
      `${size} bytes is more than the ${MAX_ENV_VARIABLE_BYTES} bytes Linux passes to a process for one variable ` +
      '(MAX_ARG_STRLEN): put large content in a file the container reads'
    );
  }
  const secret = secretLikeness(name, value);
  if (secret !== undefined) {
    return (
      `looks like a secret (${secret}), and a literal value is committed to Git in a ConfigMap: keep it in a Secret and ` +
      `reference it instead: ${name}: { secretKeyRef: { name: <secret>, key: <key> } }`
    );
  }
  return undefined;
}

/** The bytes a ConfigMap's data values count toward its limit, as the API server counts them. */
export function configMapDataBytes(values: readonly string[]): number {
  return values.reduce((total, value) => total + Buffer.byteLength(value), 0);
}
