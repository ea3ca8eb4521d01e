/**
 * Flags several verbs take, declared once so that they are spelt, typed and defaulted alike everywhere:
 * `--config FILE`, `--out DIR` (the GitOps tree, whether the verb writes or reads it), `--base` and `--repo`.
 */
import type { StringFlag } from '../cli/flags.ts';
import { DEFAULT_CONFIG_FILE, DEFAULT_GITOPS_DIR } from '../defaults.ts';

export const CONFIG_FLAG = { type: 'string', valueName: 'FILE', default: DEFAULT_CONFIG_FILE, description: 'the configuration' } as const satisfies StringFlag;

export const TREE_FLAG = {
  type: 'string',
  valueName: 'DIR',
  default: DEFAULT_GITOPS_DIR,
  description: 'the GitOps tree in the repository',
} as const satisfies StringFlag;

export const BASE_FLAG = {
  type: 'string',
  valueName: 'BRANCH',
  description: 'the branch the environments deploy from (default: repository.branch in the configuration, else the default branch of origin)',
} as const satisfies StringFlag;

export const REPO_FLAG = {
  type: 'string',
  valueName: 'OWNER/NAME',
  description: 'the GitHub repository (default: repository.url in the configuration, else the URL of origin)',
} as const satisfies StringFlag;
