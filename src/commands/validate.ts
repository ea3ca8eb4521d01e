import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { DEFAULT_CONFIG_FILE } from '../defaults.ts';
import { TREE_FLAG } from './shared-flags.ts';
import { REPORT_FORMATS } from '../validate/report.ts';

export const validateFlags = defineFlags({
  // `--out` like every other verb that works on the tree; `--dir` was validate's own name for it.
  out: { ...TREE_FLAG, aliases: ['dir'], description: 'the GitOps tree to validate' },
  format: { type: 'string', valueName: 'FORMAT', default: 'text', choices: REPORT_FORMATS, description: 'text for people, json for CI' },
  // No default: a tree can be validated without its configuration (another repository's, say).
  config: {
    type: 'string',
    valueName: 'FILE',
    description: `the configuration, for what it says exists outside the tree and about the cluster (default: ${DEFAULT_CONFIG_FILE} if there is one)`,
  },
});

export const validateVerb = defineVerb({
  name: 'validate',
  summary: 'render every overlay and argocd/ and check them: schemas, references, guardrails (--format json for CI)',
  description:
    'Renders every overlay and argocd/ with Kustomize (kubectl kustomize) and checks every object: its schema,\n' +
    'the references between objects, and the guardrails. Exit 1 when anything fails.',
  flags: validateFlags,
});
