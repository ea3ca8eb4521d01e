import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';

export const schemaFlags = defineFlags({
  out: { type: 'string', valueName: 'FILE', description: 'write the schema to FILE instead of standard output' },
});

export const schemaVerb = defineVerb({
  name: 'schema',
  summary: 'print the JSON Schema of dynenv.yaml (--out FILE to write it), for editor completion',
  flags: schemaFlags,
});
