/**
 * Patterns that the preview ApplicationSet fills in per pull request: `sha-{{head_sha}}` for the image tag,
 * `pr-{{number}}.preview.example.com` for the host. In dynenv.yaml a placeholder is `{{name}}`, one of the
 * parameters the plugin server emits for every pull request; in the ApplicationSet it becomes the Go template
 * `{{ .name }}` (goTemplate with missingkey=error, so an unknown key would stop every preview).
 */

/** Plugin parameters a pattern may use, each with the shortest and longest value it can take. */
export const PATTERN_PARAMETERS = {
  number: ['1', '9999999'],
  head_sha: ['0'.repeat(40), 'f'.repeat(40)],
  head_short_sha: ['0'.repeat(8), 'f'.repeat(8)],
  head_short_sha_7: ['0'.repeat(7), 'f'.repeat(7)],
  // gosimple/slug output: may be empty (a branch named "___"), at most 50 characters.
  branch_slug: ['', 'b'.repeat(50)],
  target_branch_slug: ['', 't'.repeat(50)],
  namespace: ['pr-1', `${'n'.repeat(40)}-pr-9999999`],
} as const satisfies Record<string, readonly [string, string]>;

export type PatternParameter = keyof typeof PATTERN_PARAMETERS;

/** A placeholder, `{{name}}` (or `{{ .name }}`); group 1 is the name. */
export const PLACEHOLDER = /\{\{\s*\.?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholder names in `pattern`, in order of appearance (duplicates kept). */
export function placeholders(pattern: string): string[] {
  return [...pattern.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** Why `pattern` cannot be used, or undefined when every placeholder is a known parameter. */
export function explainPattern(pattern: string): string | undefined {
  const unknown = placeholders(pattern).filter((name) => !(name in PATTERN_PARAMETERS));
  if (unknown.length > 0) {
    return `unknown placeholder {{${unknown[0]}}} (known: ${Object.keys(PATTERN_PARAMETERS)
      .map((name) => `{{${name}}}`)
      .join(', ')})`;
  }
  const rest = pattern.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) return 'expected placeholders written as {{name}}';
  return undefined;
}

/** `pattern` with every placeholder replaced by `values[name]`. */
export function fillPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return pattern.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {{${name}}}`);
    return value;
  });
}

/** `pattern` as an Argo CD Go template: `pr-{{number}}` → `pr-{{ .number }}`. */
export function toGoTemplate(pattern: string): string {
  return pattern.replace(PLACEHOLDER, (_, name: string) => `{{ .${name} }}`);
}

/** The pattern filled with the shortest and with the longest values of its parameters (to check the results). */
export function extremeValues(pattern: string): [string, string] {
  const pick = (index: 0 | 1) => Object.fromEntries(Object.entries(PATTERN_PARAMETERS).map(([name, values]) => [name, values[index]]));
  return [fillPattern(pattern, pick(0)), fillPattern(pattern, pick(1))];
}

/** The value used in the committed preview overlay, before the ApplicationSet sets the pull request's own. */
export const PLACEHOLDER_VALUES: Readonly<Record<PatternParameter, string>> = {
  number: '0',
  head_sha: '0'.repeat(40),
  head_short_sha: '0'.repeat(8),
  head_short_sha_7: '0'.repeat(7),
  branch_slug: 'placeholder',
  target_branch_slug: 'main',
  namespace: 'pr-0',
};
