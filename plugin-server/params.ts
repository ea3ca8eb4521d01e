/**
 * One parameter set per pull request: exactly the keys of Argo CD's built-in pull-request generator (so templates
 * move over unchanged), plus what it lacks. Every set has every key, none null, and never `generator` or
 * `values`, which Argo CD adds itself; templates use goTemplate with `missingkey=error`, so a missing key would
 * abort the whole ApplicationSet.
 */
import { explainPullRequestNamespace } from '../src/names.ts';
import type { PullRequest } from './github/pull-request.ts';

/** The keys of every parameter set, in the order they are emitted. Check templates against this list. */
export const PARAMETER_KEYS = [
  // Parity with Argo CD's pull-request generator:
  'number',
  'title',
  'branch',
  'branch_slug',
  'target_branch',
  'target_branch_slug',
  'head_sha',
  'head_short_sha',
  'head_short_sha_7',
  'author',
  'labels',
  // What it lacks:
  'namespace',
  'url',
  'repo',
  'draft',
  'updated_at',
] as const;

export type ParameterKey = (typeof PARAMETER_KEYS)[number];

export interface ParameterSet {
  /** The pull request number, as a string (as Argo CD's generator emits it). */
  number: string;
  title: string;
  branch: string;
  /** gosimple/slug of `branch`, at most 50 characters: identical to Argo CD's. */
  branch_slug: string;
  target_branch: string;
  target_branch_slug: string;
  head_sha: string;
  /** First 8 characters of `head_sha`. */
  head_short_sha: string;
  /** First 7 characters of `head_sha`. */
  head_short_sha_7: string;
  /** Login of the author. */
  author: string;
  /** Label names; an empty array when none, never null. */
  labels: string[];
  /** `pr-<number>` or `<namespacePrefix>-pr-<number>`: a DNS-1123 label of at most 63 characters. */
  namespace: string;
  /** The pull request's web page. */
  url: string;
  /** `owner/name`, spelled as in DYNENV_REPOS. */
  repo: string;
  draft: boolean;
  /** When the pull request last changed (ISO 8601, as GitHub reports it). */
  updated_at: string;
}

// The compiler checks that PARAMETER_KEYS and ParameterSet name the same keys, both ways.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const keysMatch: Exactly<ParameterKey, keyof ParameterSet> = true;
void keysMatch;

/** A pull request left out of an answer because it cannot be a preview, and why. */
export interface SkippedPullRequest {
  readonly number: number;
  readonly reason: string;
}

/**
 * The parameter sets of `pulls` in `repository`, in order. A pull request whose number cannot name a preview
 * namespace (GitHub's numbers are 32-bit; a larger one comes from a broken or hostile upstream) is left out and
 * passed to `skip`: it is not a failure of the listing, and the other pull requests still get their previews,
 * where failing the whole answer would leave every preview unmanaged.
 * @param namespacePrefix already validated; '' or undefined for none
 */
export function toParameterSets(
  pulls: readonly PullRequest[],
  repository: string,
  namespacePrefix: string | undefined,
  skip: (skipped: SkippedPullRequest) => void,
): ParameterSet[] {
  const sets: ParameterSet[] = [];
  for (const pull of pulls) {
    const namespace = explainPullRequestNamespace(pull.number, namespacePrefix);
    if ('problem' in namespace) skip({ number: pull.number, reason: namespace.problem });
    else sets.push(toParameterSet(pull, repository, namespace.namespace));
  }
  return sets;
}

function toParameterSet(pull: PullRequest, repository: string, namespace: string): ParameterSet {
  return {
    number: String(pull.number),
    title: pull.title,
    branch: pull.branch,
    branch_slug: pull.branchSlug,
    target_branch: pull.targetBranch,
    target_branch_slug: pull.targetBranchSlug,
    head_sha: pull.headSha,
    head_short_sha: pull.headSha.slice(0, 8),
    head_short_sha_7: pull.headSha.slice(0, 7),
    author: pull.author,
    labels: [...pull.labels],
    namespace,
    url: pull.url,
    repo: repository,
    draft: pull.draft,
    updated_at: pull.updatedAt,
  };
}

/** JSON schema of a parameter set (Fastify serializes replies with it, and it refuses a missing key). */
export const PARAMETER_SET_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [...PARAMETER_KEYS],
  properties: {
    ...Object.fromEntries(PARAMETER_KEYS.map((key) => [key, { type: 'string' }])),
    labels: { type: 'array', items: { type: 'string' } },
    draft: { type: 'boolean' },
  },
} as const;
