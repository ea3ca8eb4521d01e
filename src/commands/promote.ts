import { parseCommandLine, type Command } from '../cli.ts';
import { DEFAULT_CONFIG_FILE } from '../config/load.ts';
import { promote, type PromoteResult } from '../delivery/promote.ts';
import { evidenceText } from '../delivery/promotion-text.ts';
import { UsageError } from '../../contract/errors.ts';

export const promoteCommand: Command = {
  summary: 'promote an image digest into staging or prod through a pull request (--service NAME | --all, --to ENV)',
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      service: { type: 'string' },
      all: { type: 'boolean', default: false },
      to: { type: 'string' },
      from: { type: 'string' },
      digest: { type: 'string' },
      force: { type: 'boolean', default: false },
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      out: { type: 'string', default: 'gitops' },
      base: { type: 'string' },
      repo: { type: 'string' },
    });
    if (values.to === undefined) throw new UsageError('--to ENV is required (staging or prod)');
    const result = await promote({
      cwd: process.cwd(),
      configFile: values.config,
      outDir: values.out,
      service: values.service,
      all: values.all,
      to: values.to,
      from: values.from,
      digest: values.digest,
      force: values.force,
      base: values.base,
      repo: values.repo,
      env: process.env,
      client: { onWarning: (message) => process.stderr.write(`warning: ${message}\n`) },
    });
    process.stdout.write(describePromotion(result));
    return 0;
  },
};

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
  else lines.push(`${publish.pushed ? `pushed ${publish.commit.slice(0, 12)} to ${branch}` : `${branch} already holds this promotion`}; ${publish.pullRequest} ${pull}`);
  return `${lines.join('\n')}\n`;
}
