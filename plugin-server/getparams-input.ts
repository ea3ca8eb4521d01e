/**
 * The getparams request body, validated with zod: `{"applicationSetName": "...", "input": {"parameters": {...}}}`.
 * Argo CD passes `input.parameters` through from the ApplicationSet as arbitrary JSON, so values are accepted in
 * the spellings people write in YAML (`true` or `"true"`, a list or `"a,b"`), and anything else is a 400 that
 * names the parameter. An unknown parameter is a 400 too, with the one probably meant: a typo such as `lables`
 * would otherwise drop the filter it was meant for and give every pull request a preview (on a non-2xx answer
 * Argo CD keeps the Applications it has).
 */
import { z } from 'zod';
import { explainNamespacePrefix } from '../contract/names.ts';
import { compilePullRequestPattern } from '../contract/pull-request-pattern.ts';
import { closestMatch } from '../contract/suggest.ts';
import { PluginError, invalidParameter } from './errors.ts';
import type { PullRequestFilter } from './filters.ts';
import { REPOSITORY_NAME, type RepositoryAllowlist } from './repositories.ts';

export interface GetParamsQuery {
  /** `owner/name` as the allowlist spells it. */
  readonly repository: string;
  readonly filter: PullRequestFilter;
  /** '' or undefined for `pr-<number>`. */
  readonly namespacePrefix: string | undefined;
  /** Equal for two queries that select and render the same sets from the same listing at the same time. */
  readonly answerKey: string;
}

const stringList = z
  .union([z.array(z.string()), z.string()], { error: 'must be a list of strings or a comma-separated string' })
  .transform((value) => (typeof value === 'string' ? value.split(',') : value).map((s) => s.trim()).filter((s) => s !== ''));

const flag = z.union([z.boolean(), z.enum(['true', 'false'])], { error: 'must be true or false' }).transform((value) => value === true || value === 'true');

const positiveNumber = (integer: boolean) =>
  z
    .union(
      [
        z.number(),
        z
          .string()
          .regex(/^\s*\d+(\.\d+)?\s*$/)
          .transform(Number),
      ],
      {
        error: integer ? 'must be a positive whole number' : 'must be a positive number',
      },
    )
    .refine((n) => Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n)), {
      error: integer ? 'must be a positive whole number' : 'must be a positive number',
    });

// RE2, not RegExp: linear-time matching on titles and branch names anyone opening a pull request writes.
const pattern = z.string({ error: 'must be a regular expression (a string)' }).transform((source, ctx) => {
  const compiled = compilePullRequestPattern(source);
  if ('problem' in compiled) {
    ctx.addIssue({ code: 'custom', message: compiled.problem });
    return z.NEVER;
  }
  return compiled;
});

const Parameters = z.strictObject({
  repo: z.string({ error: 'must be a string "owner/name"' }).regex(REPOSITORY_NAME, 'must be "owner/name"').optional(),
  labels: stringList.optional(),
  excludeLabels: stringList.optional(),
  includeDrafts: flag.optional(),
  includeForks: flag.optional(),
  targetBranches: stringList.optional(),
  branchMatch: pattern.optional(),
  titleMatch: pattern.optional(),
  maxAgeHours: positiveNumber(false).optional(),
  keepLabel: z.string({ error: 'must be a label (a string)' }).min(1, 'must be a label (a string)').optional(),
  limit: positiveNumber(true).optional(),
  namespacePrefix: z
    .string({ error: 'must be a string' })
    .superRefine((prefix, ctx) => {
      const problem = prefix === '' ? undefined : explainNamespacePrefix(prefix);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
});

const Body = z.object(
  {
    applicationSetName: z.string().optional(),
    input: z.object({ parameters: z.record(z.string(), z.unknown(), { error: 'must be an object' }).nullish() }, { error: 'must be an object' }).nullish(),
  },
  { error: 'must be a JSON object {"applicationSetName": "...", "input": {"parameters": {...}}}' },
);

/**
 * The query in a getparams body.
 * @throws PluginError 400 naming the first bad parameter, or 403 for a repository outside the allowlist
 */
export function parseGetParamsBody(body: unknown, allowlist: RepositoryAllowlist): GetParamsQuery {
  const envelope = Body.safeParse(body);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'request body';
    throw new PluginError('INVALID_PARAMETER', `${where}: ${issue?.message ?? 'is invalid'}`);
  }
  const parsed = Parameters.safeParse(envelope.data.input?.parameters ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') throw unknownParameter(issue.keys[0]!);
    throw invalidParameter(String(issue?.path[0] ?? 'parameters'), issue?.message ?? 'is invalid');
  }
  const p = parsed.data;
  const repository = resolveRepository(p.repo, allowlist);
  const filter: PullRequestFilter = {
    labels: p.labels ?? [],
    excludeLabels: p.excludeLabels ?? [],
    includeDrafts: p.includeDrafts ?? false,
    includeForks: p.includeForks ?? false,
    targetBranches: p.targetBranches ?? [],
    branchMatch: p.branchMatch,
    titleMatch: p.titleMatch,
    maxAgeHours: p.maxAgeHours,
    keepLabel: p.keepLabel,
    limit: p.limit,
  };
  return { repository, namespacePrefix: p.namespacePrefix, filter, answerKey: answerKey(repository, filter, p.namespacePrefix) };
}

/** A 400 for a parameter dynenv does not take, naming the one probably meant (or all of them). */
function unknownParameter(name: string): PluginError {
  const known = Object.keys(Parameters.shape);
  const meant = closestMatch(name, known);
  return invalidParameter(name, `unknown parameter (${meant ? `did you mean "${meant}"?` : `parameters are: ${known.join(', ')}`})`);
}

function answerKey(repository: string, filter: PullRequestFilter, namespacePrefix: string | undefined): string {
  return JSON.stringify([
    repository,
    namespacePrefix ?? '',
    filter.labels.map((l) => l.toLowerCase()).sort(),
    filter.excludeLabels.map((l) => l.toLowerCase()).sort(),
    filter.includeDrafts,
    filter.includeForks,
    [...filter.targetBranches].sort(),
    filter.branchMatch?.source ?? null,
    filter.titleMatch?.source ?? null,
    filter.maxAgeHours ?? null,
    filter.keepLabel?.toLowerCase() ?? null,
    filter.limit ?? null,
  ]);
}

function resolveRepository(repo: string | undefined, allowlist: RepositoryAllowlist): string {
  if (repo === undefined) {
    if (allowlist.only) return allowlist.only;
    throw invalidParameter('repo', `is required: the server serves ${allowlist.repositories.join(', ')}`);
  }
  const canonical = allowlist.canonical(repo);
  if (!canonical) {
    throw new PluginError(
      'REPOSITORY_NOT_ALLOWED',
      `input.parameters.repo: ${repo} is not in the server's DYNENV_REPOS (${allowlist.repositories.join(', ')})`,
    );
  }
  return canonical;
}
