import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { DEFAULT_PROPOSE_BRANCH } from '../defaults.ts';
import { BASE_FLAG, CONFIG_FLAG, REPO_FLAG, TREE_FLAG } from './shared-flags.ts';
import { GITHUB_ENVIRONMENT } from './github-environment.ts';

export const proposeFlags = defineFlags({
  config: { ...CONFIG_FLAG, description: 'the configuration to synthesize' },
  out: TREE_FLAG,
  branch: { type: 'string', valueName: 'NAME', default: DEFAULT_PROPOSE_BRANCH, description: 'the branch the synthesized tree is pushed to' },
  base: BASE_FLAG,
  repo: REPO_FLAG,
});

export const proposeVerb = defineVerb({
  name: 'propose',
  summary: 'synthesize gitops/ and open (or update) a pull request with the changes',
  description:
    'Synthesizes the tree from dynenv.yaml as HEAD holds it and, when it differs, commits only the tree on top of\n' +
    'HEAD on its own branch, pushes it to origin and opens or updates the pull request. The checkout is not written.',
  flags: proposeFlags,
  environment: GITHUB_ENVIRONMENT,
});
