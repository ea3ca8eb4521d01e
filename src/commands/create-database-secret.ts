import { parseCommandLine, type Command } from '../cli.ts';
import { ensureDatabaseSecret } from '../database/database-secret.ts';
import { inClusterApi } from '../database/kubernetes-api.ts';
import { UsageError } from '../../contract/errors.ts';
import { isDns1123Label } from '../../contract/names.ts';

export const createDatabaseSecretCommand: Command = {
  summary: "create a preview database's credentials Secret if absent (runs in the cluster, as a Job)",
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      secret: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string', default: '5432' },
      database: { type: 'string' },
      user: { type: 'string' },
      namespace: { type: 'string', default: process.env.POD_NAMESPACE ?? '' },
    });
    const required = (name: 'secret' | 'host' | 'database' | 'user' | 'namespace') => {
      const value = values[name];
      if (!value) throw new UsageError(`--${name} is required${name === 'namespace' ? ' (or POD_NAMESPACE)' : ''}`);
      return value;
    };
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port: expected an integer 1-65535, got "${values.port}"`);
    const namespace = required('namespace');
    if (!isDns1123Label(namespace)) throw new UsageError(`--namespace: expected a namespace name, got "${namespace}"`);
    const spec = { namespace, secret: required('secret'), host: required('host'), port, database: required('database'), user: required('user') };
    const outcome = await ensureDatabaseSecret(await inClusterApi(), spec);
    process.stdout.write(`Secret ${namespace}/${spec.secret} ${outcome === 'created' ? 'created with a new password' : 'exists: left as it is'}\n`);
    return 0;
  },
};
