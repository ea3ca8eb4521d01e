/**
 * The branch, commit message and pull request of a promotion. All of it is a function of the plan alone, so
 * running the same promotion again produces the same branch and the same text, and changes nothing.
 *
 * Branch names come from what changes, not from how it was asked for:
 * - one service: `promote/<env>/<service>-<first 12 hex of the digest>`;
 * - several (`--all`): `promote/<env>/services-<first 12 hex of the sha256 of the sorted "service@digest" lines>`.
 * The same promotion therefore reuses its branch and pull request, and a different set of digests gets its own.
 */
import { createHash } from 'node:crypto';
import type { Evidence, PromotionPlan } from './promotion-plan.ts';

export interface PromotionContext {
  /** The branch the pull request merges into. */
  readonly base: string;
  /** The commit of the base branch the overlays were read at. */
  readonly baseCommit: string;
  /** Path of the target's kustomization.yaml from the repository root. */
  readonly targetFile: string;
  /** Path of the source's kustomization.yaml from the repository root. */
  readonly sourceFile: string;
}

export function promotionBranch(plan: PromotionPlan): string {
  const [only, ...others] = plan.promotions;
  if (only === undefined) throw new Error('a promotion without changes has no branch');
  if (others.length === 0) return `promote/${plan.target}/${only.service}-${hex(only.to).slice(0, 12)}`;
  const lines = plan.promotions.map((promotion) => `${promotion.service}@${promotion.to}`).sort();
  const fingerprint = createHash('sha256').update(lines.join('\n')).digest('hex');
  return `promote/${plan.target}/services-${fingerprint.slice(0, 12)}`;
}

export function promotionTitle(plan: PromotionPlan): string {
  const [only, ...others] = plan.promotions;
  if (only !== undefined && others.length === 0) return `Promote ${only.service} to ${plan.target}: ${short(only.to)}`;
  return `Promote ${plan.promotions.map((promotion) => promotion.service).join(', ')} to ${plan.target} from ${plan.source}`;
}

/** The pull request body (Markdown): per service, old digest → new digest and where the new one runs. */
export function promotionBody(plan: PromotionPlan, context: PromotionContext): string {
  const lines = [
    `Promotes ${plan.promotions.length === 1 ? 'one service' : `${plan.promotions.length} services`} to **${plan.target}** (\`${context.targetFile}\`):`,
    '',
  ];
  for (const promotion of plan.promotions) {
    lines.push(
      `- **${promotion.service}** (\`${promotion.image}\`)`,
      `  - ${plan.target}: \`${promotion.from}\` → \`${promotion.to}\``,
      `  - ${evidenceText(plan, promotion.evidence, '`')}`,
    );
  }
  if (plan.unchanged.length > 0) {
    lines.push('', `Already running in ${plan.target}: ${plan.unchanged.map(({ service }) => service).join(', ')}.`);
  }
  lines.push(
    '',
    `Checked against \`${context.sourceFile}\` on \`${context.base}\` at \`${context.baseCommit.slice(0, 12)}\`.`,
    '',
    ...rollback(plan),
    '<sub>Opened by `dynenv promote`. Running the same promotion again updates this branch and pull request; do not push to the branch.</sub>',
  );
  return `${lines.join('\n')}\n`;
}

/** How to undo the promotion; a service promoted for the first time ran a tag, which is no digest to go back to. */
function rollback(plan: PromotionPlan): string[] {
  const pinned = plan.promotions.filter((promotion) => promotion.from.startsWith('sha256:'));
  if (pinned.length === 0) return [];
  return [
    `To roll back once merged: ${pinned.map((p) => `\`npx dynenv promote --service ${p.service} --to ${plan.target} --digest ${p.from}\``).join(', ')}.`,
    '',
  ];
}

/** The commit message: the title, then one plain line per service. */
export function promotionCommitMessage(plan: PromotionPlan): string {
  const lines = plan.promotions.flatMap((promotion) => [
    `${promotion.service} (${promotion.image}): ${promotion.from} -> ${promotion.to}`,
    `  ${evidenceText(plan, promotion.evidence, '')}`,
  ]);
  return `${promotionTitle(plan)}\n\n${lines.join('\n')}\n`;
}

/** Where the new digest runs, in words. */
export function evidenceText(plan: PromotionPlan, evidence: Evidence, code: string): string {
  const source = plan.source;
  switch (evidence.kind) {
    case 'runs':
      return evidence.since ? `${source} runs it, since ${code}${short(evidence.since.commit)}${code} (${day(evidence.since.date)})` : `${source} runs it`;
    case 'ran':
      return (
        `${source} ran it from ${code}${short(evidence.since.commit)}${code} (${day(evidence.since.date)})` +
        (evidence.until ? ` until ${code}${short(evidence.until.commit)}${code} (${day(evidence.until.date)})` : '')
      );
    case 'tag':
      return `${source} follows the tag ${code}${evidence.tag}${code}: the digest was given with --digest (Git cannot check a tag)`;
    case 'forced':
      return `${source} has never run it: promoted with --force`;
  }
}

function hex(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

function short(text: string): string {
  return text.startsWith('sha256:') ? `sha256:${hex(text).slice(0, 12)}` : text.slice(0, 12);
}

function day(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
