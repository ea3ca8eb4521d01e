import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { BASE_FLAG, CONFIG_FLAG, TREE_FLAG } from './shared-flags.ts';

export const historyFlags = defineFlags({
  env: { type: 'string', valueName: 'ENV', required: true, description: 'the environment whose history to list: dev, staging or prod' },
  service: { type: 'string', valueName: 'NAME', description: 'only this service (default: every service)' },
  ref: { type: 'string', valueName: 'REV', description: 'read this revision instead of the deployed branch of origin (e.g. HEAD)' },
  base: BASE_FLAG,
  json: { type: 'boolean', description: 'print JSON instead of a table' },
  config: CONFIG_FLAG,
  out: TREE_FLAG,
});

export const historyVerb = defineVerb({
  name: 'history',
  summary: 'list the digests an environment ran, newest first, from the git log of its overlay (--env ENV)',
  flags: historyFlags,
});
