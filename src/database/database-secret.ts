/**
 * Creates a preview database's credentials Secret inside the cluster, so that no password is ever in Git:
 * a random password, and the connection as libpq's PG* variables plus DATABASE_URL. A Secret that already
 * exists is left alone: the database was initialised with its password, and a new one would lock it out.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../../contract/errors.ts';
import { apiRequest, statusMessage, type KubernetesApi } from './kubernetes-api.ts';

export interface DatabaseSecretSpec {
  /** Namespace of the Secret (the Job's own). */
  readonly namespace: string;
  /** Name of the Secret. */
  readonly secret: string;
  /** Host (the database's Service), port, database and role. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/** What `ensureDatabaseSecret` did. */
export type SecretOutcome = 'created' | 'exists';

/** A password of 48 hex digits (192 bits): safe in a URL and in a shell without quoting. */
export function generatePassword(): string {
  return randomBytes(24).toString('hex');
}

/** The Secret's keys: what the services, the migration Job and PostgreSQL read. */
export function secretData(spec: DatabaseSecretSpec, password: string): Record<string, string> {
  return {
    PGHOST: spec.host,
    PGPORT: String(spec.port),
    PGDATABASE: spec.database,
    PGUSER: spec.user,
    PGPASSWORD: password,
    DATABASE_URL: `postgresql://${spec.user}:${password}@${spec.host}:${spec.port}/${spec.database}`,
  };
}

/** Creates the Secret unless it exists; a concurrent creation by another run counts as existing. */
export async function ensureDatabaseSecret(api: KubernetesApi, spec: DatabaseSecretSpec): Promise<SecretOutcome> {
  const collection = `/api/v1/namespaces/${encodeURIComponent(spec.namespace)}/secrets`;
  const existing = await apiRequest(api, 'GET', `${collection}/${encodeURIComponent(spec.secret)}`);
  if (existing.status === 200) return 'exists';
  if (existing.status !== 404) throw failure('read', spec, existing.status, statusMessage(existing));
  const created = await apiRequest(api, 'POST', collection, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: spec.secret,
      namespace: spec.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'dynenv', 'dynenv.io/component': 'database-credentials' },
    },
    type: 'Opaque',
    stringData: secretData(spec, generatePassword()),
  });
  if (created.status === 201) return 'created';
  if (created.status === 409) return 'exists';
  throw failure('create', spec, created.status, statusMessage(created));
}

function failure(action: string, spec: DatabaseSecretSpec, status: number, message: string): UserError {
  const hint = status === 403 ? ' (the Job\'s ServiceAccount needs "get" on this Secret and "create" on Secrets)' : '';
  return new UserError(`cannot ${action} Secret ${spec.namespace}/${spec.secret}: HTTP ${status}: ${message}${hint}`);
}
