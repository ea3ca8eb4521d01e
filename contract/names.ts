/**
 * Kubernetes names, shared by the generator and the plugin server.
 *
 * A namespace, Service or label-sized object name is a DNS-1123 label: at most 63 characters of `[a-z0-9-]`,
 * starting and ending with a letter or digit.
 */
import unidecode from 'unidecode';
import { GOSIMPLE_TRANSLITERATION_OVERRIDES } from './slug-transliteration.ts';

/** Longest DNS-1123 label Kubernetes accepts (namespaces, Service names, most label-sized names). */
export const DNS1123_LABEL_MAX_LENGTH = 63;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `name` is a valid DNS-1123 label (what a namespace or Service name must be). */
export function isDns1123Label(name: string): boolean {
  return name.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(name);
}

/** Why `name` is not a DNS-1123 label, or undefined when it is one. */
export function explainDns1123Label(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > DNS1123_LABEL_MAX_LENGTH) {
    return `must be at most ${DNS1123_LABEL_MAX_LENGTH} characters (has ${name.length})`;
  }
  if (!DNS1123_LABEL.test(name)) {
    return 'must be lower-case letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Slugs, exactly as Argo CD's pull-request generator makes `branch_slug`.

/** Longest slug Argo CD's pull-request generator emits (it sets gosimple/slug's `MaxLength` to 50). */
export const SLUG_MAX_LENGTH = 50;

// Go's unicode.IsSpace, which strings.TrimSpace uses: not quite JavaScript's trim() (NEL yes, BOM no).
const GO_SPACE_RUN =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

// gosimple/slug's English substitutions merged with its defaults (quotes vanish, typographic dashes are dashes).
const ENGLISH_SUBSTITUTIONS: ReadonlyMap<string, string> = new Map([
  ['&', 'and'],
  ['@', 'at'],
  ['"', ''],
  ["'", ''],
  ['\u2019', ''],
  ['\u2012', '-'],
  ['\u2013', '-'],
  ['\u2014', '-'],
  ['\u2015', '-'],
]);

/**
 * The slug of a branch name, identical to Argo CD's `branch_slug` and `target_branch_slug` (gosimple/slug with
 * `MaxLength = 50` and `_` replaced by `-`) but always fit for a DNS label: where Argo CD's would keep a `_`
 * transliterated from another character, this has a `-`. Trims white space, spells `&` and `@` out, transliterates to ASCII,
 * lower-cases, turns every run of other characters into one `-`, trims `-`/`_` at both ends, and cuts at the last
 * `-` at or before 50 characters (a hard cut when there is none). The result may be empty (`___`).
 *
 * A slug is for templates (hosts, labels); it may be empty, so never name a namespace with it alone: see
 * {@link pullRequestNamespace}.
 */
export function slugify(text: string): string {
  let slug = text.replace(GO_SPACE_RUN, '').replaceAll('_', '-');
  slug = substituteAndTransliterate(slug).toLowerCase();
  // gosimple keeps "_" here, so eight characters that transliterate to it (‗ U+2017, ＿ U+FF3F, ‿ U+203F, ︳ ︴,
  // ˍ U+02CD, ༷ U+0F37, ⠸ U+2838) would leave one in Argo CD's slug; a host name cannot hold it, so here it is a
  // dash like every other "_". The only difference from Argo CD's branch_slug, and only for those characters.
  slug = slug
    .replace(/[^a-zA-Z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  return truncateAtWordBoundary(slug, SLUG_MAX_LENGTH);
}

function substituteAndTransliterate(text: string): string {
  let out = '';
  for (const character of text) {
    const substitute = ENGLISH_SUBSTITUTIONS.get(character);
    if (substitute !== undefined) out += substitute;
    else out += transliterate(character);
  }
  return out;
}

function transliterate(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  if (codePoint < 0x80) return character;
  // gosimple/unidecode only has a table for the Basic Multilingual Plane and drops everything else.
  if (codePoint > 0xffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return '';
  return GOSIMPLE_TRANSLITERATION_OVERRIDES.get(codePoint) ?? unidecode(character);
}

// gosimple/slug's smartTruncate: look for a '-' from index maxLength down to 0 and cut there.
function truncateAtWordBoundary(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  const cut = slug.lastIndexOf('-', maxLength);
  return cut >= 0 ? slug.slice(0, cut) : slug.slice(0, maxLength);
}

// ---------------------------------------------------------------------------------------------------------------
// The namespace of a pull request's preview.

/** Most digits a GitHub pull-request number has (it is a 32-bit integer). */
export const PULL_REQUEST_NUMBER_MAX_DIGITS = 10;

/**
 * Longest namespace prefix that leaves room for `-pr-` and any pull-request number within one DNS-1123 label.
 * Checked against the largest possible number, not the PRs open today, so a prefix that works keeps working.
 */
export const NAMESPACE_PREFIX_MAX_LENGTH = DNS1123_LABEL_MAX_LENGTH - '-pr-'.length - PULL_REQUEST_NUMBER_MAX_DIGITS;

/** Why `prefix` cannot start a pull request's namespace, or undefined when it can. */
export function explainNamespacePrefix(prefix: string): string | undefined {
  if (prefix.length > NAMESPACE_PREFIX_MAX_LENGTH) {
    return (
      `must be at most ${NAMESPACE_PREFIX_MAX_LENGTH} characters (has ${prefix.length}), so that ` +
      `"<prefix>-pr-<number>" stays a ${DNS1123_LABEL_MAX_LENGTH}-character DNS-1123 label`
    );
  }
  return explainDns1123Label(prefix);
}

/**
 * The namespace of pull request `number`'s preview: `pr-<number>`, or `<prefix>-pr-<number>`. Always a DNS-1123
 * label; never truncated, so two pull requests never share one.
 *
 * @param prefix validated with {@link explainNamespacePrefix}; an empty or missing prefix means none
 * @throws Error when the prefix is invalid or the number cannot name a preview (see {@link explainPullRequestNamespace})
 */
export function pullRequestNamespace(number: number, prefix?: string): string {
  const result = explainPullRequestNamespace(number, prefix);
  if ('problem' in result) throw new Error(result.problem);
  return result.namespace;
}

/**
 * The namespace of pull request `number`'s preview, or why there can be none. GitHub's numbers are 32-bit, so
 * every real one fits beside any valid prefix; a larger one (a broken or hostile upstream) fits only while the
 * whole name stays a 63-character label, and a number past 2^53 is not even read exactly from JSON.
 */
export function explainPullRequestNamespace(number: number, prefix?: string): { namespace: string } | { problem: string } {
  if (!Number.isSafeInteger(number) || number < 1) {
    return { problem: `pull request number ${number} is not a whole number from 1 to ${Number.MAX_SAFE_INTEGER}` };
  }
  if (prefix !== undefined && prefix !== '') {
    const problem = explainNamespacePrefix(prefix);
    if (problem) return { problem: `namespace prefix "${prefix}" ${problem}` };
  }
  const namespace = prefix ? `${prefix}-pr-${number}` : `pr-${number}`;
  if (namespace.length > DNS1123_LABEL_MAX_LENGTH) {
    return { problem: `namespace ${namespace} of pull request ${number} would be longer than ${DNS1123_LABEL_MAX_LENGTH} characters` };
  }
  return { namespace };
}

/** What a pull request's fence Application adds to the name of its workload Application (`<app>-pr-<n>-fence`). */
export const FENCE_APPLICATION_SUFFIX = '-fence';
