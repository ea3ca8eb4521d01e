/**
 * A pull request as the plugin needs it, parsed from GitHub's `pull-request-simple` JSON with zod at the
 * boundary: a body that is not what GitHub documents (a truncated or proxied answer Octokit handed over as a
 * string, a missing field) is an upstream failure, never a short list.
 */
import { z } from 'zod';
import { slugify } from '../../contract/names.ts';
import { UpstreamError } from './upstream-error.ts';

export interface PullRequest {
  readonly number: number;
  readonly title: string;
  /** `html_url`: the pull request's page. */
  readonly url: string;
  readonly draft: boolean;
  /** Head branch (`head.ref`). */
  readonly branch: string;
  /** Computed once per listing, not per answer: slugs transliterate, which is the dearest step. */
  readonly branchSlug: string;
  /** Base branch (`base.ref`). */
  readonly targetBranch: string;
  readonly targetBranchSlug: string;
  readonly headSha: string;
  /** Login of the author; `ghost` for a deleted account, as GitHub shows it. */
  readonly author: string;
  readonly labels: readonly string[];
  /** `updated_at` as GitHub wrote it (ISO 8601). */
  readonly updatedAt: string;
  readonly updatedAtMs: number;
  /** The head branch lives in another repository (a fork), or in one since deleted. */
  readonly fromFork: boolean;
}

const isoTimestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');

// Only what the plugin reads; GitHub sends much more and may add fields at any time.
const PullRequestItem = z.object({
  number: z.number().int().positive(),
  state: z.literal('open'),
  title: z.string(),
  html_url: z.string().min(1),
  draft: z.boolean().optional(),
  updated_at: isoTimestamp,
  user: z.object({ login: z.string() }).nullable(),
  labels: z.array(z.object({ name: z.string() })),
  head: z.object({
    ref: z.string().min(1),
    sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'not a commit SHA'),
    // Null when the fork was deleted; GitHub's description says otherwise, GitHub does it anyway.
    repo: z.object({ id: z.number() }).nullable(),
  }),
  base: z.object({ ref: z.string().min(1), repo: z.object({ id: z.number() }) }),
});

const PullRequestPage = z.array(PullRequestItem);

/** The pull requests of one page of `GET /repos/{owner}/{repo}/pulls?state=open`, or an UpstreamError. */
export function parsePullRequestPage(data: unknown, repository: string, page: number): PullRequest[] {
  const parsed = PullRequestPage.safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues[0];
    const detail = typeof data === 'string' ? 'a body that is not JSON (truncated?)' : `${where?.path.join('.') || 'the body'}: ${where?.message}`;
    throw new UpstreamError('invalid-response', `GitHub answered page ${page} of ${repository}'s pull requests with ${detail}`);
  }
  return parsed.data.map((item) => {
    const updatedAtMs = Date.parse(item.updated_at);
    return {
      number: item.number,
      title: item.title,
      url: item.html_url,
      draft: item.draft ?? false,
      branch: item.head.ref,
      branchSlug: slugify(item.head.ref),
      targetBranch: item.base.ref,
      targetBranchSlug: slugify(item.base.ref),
      headSha: item.head.sha,
      author: item.user?.login ?? 'ghost',
      labels: item.labels.map((l) => l.name),
      updatedAt: item.updated_at,
      updatedAtMs,
      fromFork: item.head.repo === null || item.head.repo.id !== item.base.repo.id,
    };
  });
}
