import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { BASE_FLAG, CONFIG_FLAG, REPO_FLAG, TREE_FLAG } from './shared-flags.ts';
import { GITHUB_ENVIRONMENT } from './github-environment.ts';

export const promoteFlags = defineFlags({
  to: { type: 'string', valueName: 'ENV', required: true, description: 'the environment to promote into: staging or prod' },
  service: { type: 'string', valueName: 'NAME', description: 'the service to promote (or --all)' },
  all: { type: 'boolean', description: 'promote every service whose image differs' },
  from: { type: 'string', valueName: 'ENV', description: 'the environment the digest comes from (default: the one before --to: dev, staging, prod)' },
  digest: { type: 'string', valueName: 'sha256:…', description: 'the digest to promote, e.g. what CI built and pushed (default: the one --from runs)' },
  force: { type: 'boolean', description: 'promote a digest the --from environment never ran' },
  config: CONFIG_FLAG,
  out: TREE_FLAG,
  base: BASE_FLAG,
  repo: REPO_FLAG,
});

export const promoteVerb = defineVerb({
  name: 'promote',
  summary: 'promote an image digest into staging or prod through a pull request (--service NAME | --all, --to ENV)',
  description:
    "Edits the image digests in the target environment's overlay on a branch of its own, pushes it to origin and\n" +
    'opens or updates the pull request that promotes them. The checkout is not written.',
  flags: promoteFlags,
  environment: GITHUB_ENVIRONMENT,
});
