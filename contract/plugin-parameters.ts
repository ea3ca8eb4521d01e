/**
 * What the plugin server answers Argo CD with, which the generator's templates and `dynenv validate` rely on:
 * one parameter set per pull request, with exactly these keys — the keys of Argo CD's built-in pull-request
 * generator (so templates move over unchanged), plus what it lacks.
 */

/** The keys of every parameter set, in the order they are emitted. Check templates against this list. */
export const PLUGIN_PARAMETER_KEYS = [
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

export type ParameterKey = (typeof PLUGIN_PARAMETER_KEYS)[number];

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

/** Keys Argo CD adds to every parameter set of a plugin generator (docs/plugin-protocol.md). */
export const ARGOCD_ADDED_PARAMETER_KEYS: readonly string[] = ['generator', 'values'];
