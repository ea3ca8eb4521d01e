import type { FlagValues } from '../cli/flags.ts';
import { ensureDatabaseSecret } from '../database/database-secret.ts';
import { inClusterApi } from '../database/kubernetes-api.ts';
import { UsageError } from '../../contract/errors.ts';
import { isDns1123Label } from '../../contract/names.ts';
import type { createDatabaseSecretFlags } from './create-database-secret.ts';

export async function run(flags: FlagValues<typeof createDatabaseSecretFlags>): Promise<number> {
  const { namespace, secret, host, port, database, user } = flags;
  if (!isDns1123Label(namespace)) throw new UsageError(`--namespace: expected a namespace name, got "${namespace}"`);
  const outcome = await ensureDatabaseSecret(await inClusterApi(), { namespace, secret, host, port, database, user });
  process.stdout.write(`Secret ${namespace}/${secret} ${outcome === 'created' ? 'created with a new password' : 'exists: left as it is'}\n`);
  return 0;
}
