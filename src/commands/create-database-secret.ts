import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';

export const createDatabaseSecretFlags = defineFlags({
  secret: { type: 'string', valueName: 'NAME', required: true, description: 'the Secret to create' },
  host: { type: 'string', valueName: 'HOST', required: true, description: "the database's host" },
  port: { type: 'integer', valueName: 'PORT', default: 5432, min: 1, max: 65535, description: "the database's port" },
  database: { type: 'string', valueName: 'NAME', required: true, description: 'the database name' },
  user: { type: 'string', valueName: 'NAME', required: true, description: 'the database user' },
  namespace: { type: 'string', valueName: 'NAMESPACE', env: 'POD_NAMESPACE', required: true, description: 'the namespace of the Secret' },
});

export const createDatabaseSecretVerb = defineVerb({
  name: 'create-database-secret',
  summary: "create a preview database's credentials Secret if absent (runs in the cluster, as a Job)",
  description:
    "Creates the Secret holding a preview database's credentials, with a new random password, unless it exists.\n" +
    'It runs in the cluster as a Job, with the in-cluster service account.',
  flags: createDatabaseSecretFlags,
});
