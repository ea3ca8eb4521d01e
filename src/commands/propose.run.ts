import type { FlagValues } from '../cli/flags.ts';
import { propose, type ProposeResult } from '../delivery/propose.ts';
import type { proposeFlags } from './propose.ts';

export async function run(flags: FlagValues<typeof proposeFlags>): Promise<number> {
  const result = await propose({
    cwd: process.cwd(),
    configFile: flags.config,
    outDir: flags.out,
    branch: flags.branch,
    base: flags.base,
    repo: flags.repo,
    env: process.env,
    client: { onWarning: (message) => process.stderr.write(`warning: ${message}\n`) },
  });
  process.stdout.write(describeProposal(flags.out, flags.config, result));
  return 0;
}

export function describeProposal(outDir: string, configFile: string, result: ProposeResult): string {
  if (result.outcome === 'up-to-date') return `${outDir}/ is up to date with ${configFile}: nothing to propose\n`;
  const { publish, branch } = result;
  const pull = `pull request #${publish.pull.number}: ${publish.pull.url}`;
  if (!publish.pushed && publish.pullRequest === 'unchanged') return `${branch} and its ${pull} already propose this: nothing to do\n`;
  const pushed = publish.pushed ? `pushed ${publish.commit.slice(0, 12)} to ${branch}` : `${branch} already holds this tree`;
  return `${pushed}; ${publish.pullRequest} ${pull}\n`;
}
