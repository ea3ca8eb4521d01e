import { defineFlags } from '../cli/flags.ts';
import { defineVerb } from '../cli/verb.ts';
import { CONFIG_FLAG } from './shared-flags.ts';

export const initFlags = defineFlags({
  from: {
    type: 'list',
    valueName: 'PATH',
    operands: true,
    description: 'Kubernetes manifests (files or folders) to import; `--from a.yaml b/` takes both',
  },
  app: { type: 'string', valueName: 'NAME', description: "the application name (default: the folder's name)" },
  repository: { type: 'string', valueName: 'URL', description: 'the Git URL Argo CD clones (default: none: fill in repository later)' },
  config: { ...CONFIG_FLAG, description: 'the configuration to write' },
});

export const initVerb = defineVerb({
  name: 'init',
  summary: 'write a commented dynenv.yaml: a starter, or imported from Kubernetes manifests with --from <files or folders>...',
  description:
    'Writes a commented dynenv.yaml: a starter to fill in, or, with --from, one imported from your Kubernetes\n' +
    'manifests (Deployments, StatefulSets, CronJobs, their Services, probes, env and volumes), with notes on what\n' +
    'it could not carry over. Never overwrites an existing file.',
  flags: initFlags,
});
