import { describe, expect, it } from 'vitest';
import { compilePullRequestPattern, type PullRequestPattern } from '../../contract/pull-request-pattern.ts';
import { numbers, startHarness } from '../plugin-server/harness.ts';

function compiled(source: string): PullRequestPattern {
  const pattern = compilePullRequestPattern(source);
  if ('problem' in pattern) throw new Error(pattern.problem);
  return pattern;
}

// Patterns that pass a star-height ("nested quantifier") check, yet backtrack exponentially or polynomially in
// JavaScript's engine: with RegExp, a 60-character title keeps the server busy for years.
// Each with whether it matches the crafted title (many a's, then "!").
const STALLING_PATTERNS: ReadonlyArray<[string, boolean]> = [
  ['^(a|a)*$', false],
  ['^(a|aa)+$', false],
  ['(\\w|\\d)+$', false],
  ['^(a+)+$', false],
  // Unanchored at the start: the empty match before the end counts.
  ['\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*$', true],
];

describe('pull-request patterns (branchMatch, titleMatch)', () => {
  it.each(STALLING_PATTERNS)('ReDoS regression: %s runs on a crafted 10,000-character title in linear time', (source, matches) => {
    // No clock: a backtracking engine would not return within the test's timeout, not even for 60 characters.
    expect(compiled(source).test(`${'a'.repeat(10_000)}!`)).toBe(matches);
    expect(compiled(source).test('a'.repeat(10_000))).toBe(true);
  });

  it('matches anywhere unless anchored, with RE2 flags', () => {
    expect(compiled('feature/').test('team/feature/cart')).toBe(true);
    expect(compiled('^feature/').test('team/feature/cart')).toBe(false);
    expect(compiled('(?i)^wip').test('WIP: login')).toBe(true);
  });

  it.each([
    ['(', 'is not a valid regular expression (missing closing ): `(`)'],
    [
      '^(?!WIP)',
      "is not a valid regular expression (invalid or unsupported Perl syntax: `(?!`): lookaround and backreferences are not supported (RE2 syntax, as in Argo CD's pull-request generator)",
    ],
    [
      '(a)\\1',
      "is not a valid regular expression (invalid escape sequence: `\\1`): lookaround and backreferences are not supported (RE2 syntax, as in Argo CD's pull-request generator)",
    ],
    ['x'.repeat(257), 'must be at most 256 characters'],
  ])('refuses %j: %s', (source, problem) => {
    expect(compilePullRequestPattern(source)).toEqual({ problem });
  });

  it('ReDoS regression through getparams: a pull request titled to stall titleMatch ^(a|a)*$ is answered at once', async () => {
    const h = await startHarness();
    try {
      h.fake.openPullRequest('acme/shop', { title: `${'a'.repeat(200)}!` });
      h.fake.openPullRequest('acme/shop', { title: 'a'.repeat(200) });
      expect(numbers(await h.getParams({ titleMatch: '^(a|a)*$' }))).toEqual([2]);
    } finally {
      await h.close();
    }
  });
});
