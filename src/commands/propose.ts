import { parseCommandLine, type Command } from '../cli.ts';
import { DEFAULT_CONFIG_FILE } from '../config/load.ts';
import { DEFAULT_PROPOSE_BRANCH, propose, type ProposeResult } from '../delivery/propose.ts';
import { redactCredentials } from '../redact-credentials.ts';
import { workingFolder } from '../working-folder.ts';

export const proposeCommand: Command = {
  summary: 'synthesize gitops/ and open (or update) a pull request with the changes',
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      out: { type: 'string', default: 'gitops' },
      branch: { type: 'string', default: DEFAULT_PROPOSE_BRANCH },
      base: { type: 'string' },
      repo: { type: 'string' },
    });
    const result = await propose({
      cwd: workingFolder(),
      configFile: values.config,
      outDir: values.out,
      branch: values.branch,
      base: values.base,
      repo: values.repo,
      env: process.env,
      client: { onWarning: (message) => process.stderr.write(`warning: ${redactCredentials(message)}\n`) },
    });
    process.stdout.write(describeProposal(values.out, values.config, result));
    return 0;
  },
};

export function describeProposal(outDir: string, configFile: string, result: ProposeResult): string {
  if (result.outcome === 'up-to-date') return `${outDir}/ is up to date with ${configFile}: nothing to propose\n`;
  const { publish, branch } = result;
  const pull = `pull request #${publish.pull.number}: ${publish.pull.url}`;
  if (!publish.pushed && publish.pullRequest === 'unchanged') return `${branch} and its ${pull} already propose this: nothing to do\n`;
  const pushed = publish.pushed ? `pushed ${publish.commit.slice(0, 12)} to ${branch}` : `${branch} already holds this tree`;
  return `${pushed}; ${publish.pullRequest} ${pull}\n`;
}
