import type { FlagValues } from '../cli/flags.ts';
import { promote, type PromoteResult } from '../delivery/promote.ts';
import { evidenceText } from '../delivery/promotion-text.ts';
import type { promoteFlags } from './promote.ts';
import { redactCredentials } from '../../contract/redact-credentials.ts';
import { workingFolder } from '../working-folder.ts';

export async function run(flags: FlagValues<typeof promoteFlags>): Promise<number> {
  const result = await promote({
    cwd: workingFolder(),
    configFile: flags.config,
    outDir: flags.out,
    service: flags.service,
    all: flags.all,
    to: flags.to,
    from: flags.from,
    digest: flags.digest,
    force: flags.force,
    base: flags.base,
    repo: flags.repo,
    env: process.env,
    client: { onWarning: (message) => process.stderr.write(`warning: ${redactCredentials(message)}\n`) },
  });
  process.stdout.write(describePromotion(result));
  return 0;
}

export function describePromotion(result: PromoteResult): string {
  const { plan } = result;
  const lines = plan.unchanged.map(({ service, digest }) => `${service}: ${plan.target} already runs ${digest}`);
  if (result.outcome === 'nothing-to-promote') return `${[...lines, 'nothing to promote'].join('\n')}\n`;
  for (const promotion of plan.promotions) {
    lines.push(`${promotion.service}: ${plan.target} ${promotion.from} -> ${promotion.to} (${evidenceText(plan, promotion.evidence, '')})`);
  }
  const { publish, branch } = result;
  const pull = `pull request #${publish.pull.number}: ${publish.pull.url}`;
  if (!publish.pushed && publish.pullRequest === 'unchanged') lines.push(`${branch} and its ${pull} already hold this promotion: nothing to do`);
  else
    lines.push(
      `${publish.pushed ? `pushed ${publish.commit.slice(0, 12)} to ${branch}` : `${branch} already holds this promotion`}; ${publish.pullRequest} ${pull}`,
    );
  return `${lines.join('\n')}\n`;
}
