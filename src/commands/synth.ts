import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { CONFIG_FLAG, TREE_FLAG } from './shared-flags.ts';

export const synthFlags = defineFlags({
  config: { ...CONFIG_FLAG, description: 'the configuration to synthesize' },
  out: { ...TREE_FLAG, description: 'the GitOps tree to write' },
  check: { type: 'boolean', description: 'write nothing; exit 1 and list the files that differ when the tree is stale (the CI drift gate)' },
});

export const synthVerb = defineVerb({
  name: 'synth',
  summary: 'synthesize dynenv.yaml into the GitOps tree (--check: fail when the tree is stale)',
  description:
    'Synthesizes the configuration into the GitOps tree: a Kustomize base, the overlays and the Argo CD objects.\n' +
    'Image pins in the overlays (what promotion wrote) are kept. A run that changes nothing writes nothing.',
  flags: synthFlags,
});
