import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NAMESPACE_PREFIX_MAX_LENGTH,
  SLUG_MAX_LENGTH,
  explainNamespacePrefix,
  isDns1123Label,
  pullRequestNamespace,
  explainPullRequestNamespace,
  slugify,
} from '../../contract/names.ts';

// The vectors of docs/plugin-protocol.md, produced by gosimple/slug with Argo CD's settings.
const protocolVectors: Array<[branch: string, slug: string]> = [
  ['feature/ABC_123', 'feature-abc-123'],
  ['Feat/Ünïcode branch', 'feat-unicode-branch'],
  ['fix/a&b@c', 'fix-aandbatc'],
  ['dependabot/npm_and_yarn/lodash-4.17.21', 'dependabot-npm-and-yarn-lodash-4-17-21'],
  ['___', ''],
  ['release/v1.2.3', 'release-v1-2-3'],
  ['a-very-long-branch-name-that-goes-on-and-on-and-on-forever-and-ever', 'a-very-long-branch-name-that-goes-on-and-on-and-on'],
  ['averylongbranchnamewithoutanyseparatorsatallwhichexceedsfiftychars', 'averylongbranchnamewithoutanyseparatorsatallwhiche'],
  ['-leading-and-trailing-', 'leading-and-trailing'],
  ['UPPER.case.dots', 'upper-case-dots'],
];

// Behaviour of gosimple/slug beyond the vectors, read from its source and its transliteration table.
const gosimpleBehaviour: Array<[branch: string, slug: string, why: string]> = [
  ["fix/don't-panic", 'fix-dont-panic', 'quotes vanish rather than split words'],
  ['feat/“quoted”', 'feat-quoted', 'typographic quotes transliterate to " and become dashes'],
  ['feat/en–dash', 'feat-en-dash', 'typographic dashes are dashes'],
  ['  padded  ', 'padded', 'white space is trimmed first'],
  ['\u0085nel', 'nel', "Go's TrimSpace treats NEL as space"],
  ['Łódź/straße', 'lodz-strasse', 'transliteration to ASCII'],
  ['feat/Єдиний', 'feat-iedinii', "gosimple's table, not the npm unidecode one: Є is Ie"],
  ['feat/🚀rocket', 'feat-rocket', 'characters beyond the Basic Multilingual Plane are dropped'],
  ['日本', 'ri-ben', 'CJK transliterates word by word'],
  [`${'a'.repeat(50)}-b`, 'a'.repeat(50), 'a dash right at the limit cuts there'],
  [`${'a'.repeat(49)}-bc`, 'a'.repeat(49), 'the last dash before the limit'],
  ['x_-_y', 'x-y', 'underscores become dashes and runs of dashes collapse'],
];

// Characters that transliterate to "_": gosimple keeps it (so Argo CD's own branch_slug would), a host cannot.
const transliteratedUnderscores = ['\u02cd', '\u0f37', '\u2017', '\u203f', '\u2838', '\ufe33', '\ufe34', '\uff3f'];

describe('slugify (gosimple/slug as Argo CD configures it)', () => {
  it.each(protocolVectors)('docs/plugin-protocol.md vector %j → %j', (branch, slug) => {
    expect(slugify(branch)).toBe(slug);
  });

  it.each(gosimpleBehaviour)('%j → %j (%s)', (branch, slug) => {
    expect(slugify(branch)).toBe(slug);
  });

  it.each(transliteratedUnderscores)('regression: %j, which transliterates to "_", becomes a dash, never a "_"', (character) => {
    expect(slugify(`fix${character}login`)).toBe('fix-login');
    expect(slugify(`${character}${character}x${character}`)).toBe('x');
  });

  it('always yields lower-case ASCII words joined by single dashes, at most 50 characters (a DNS label)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.oneof(fc.constantFrom(...transliteratedUnderscores), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 120 }),
        (branch) => {
          const slug = slugify(branch);
          expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
          expect(slug).toMatch(/^([a-z0-9]+(-[a-z0-9]+)*)?$/);
          expect(slugify(slug)).toBe(slug);
        },
      ),
    );
  });
});

describe('pullRequestNamespace', () => {
  it('is pr-<number> without a prefix, and <prefix>-pr-<number> with one', () => {
    expect(pullRequestNamespace(42)).toBe('pr-42');
    expect(pullRequestNamespace(42, '')).toBe('pr-42');
    expect(pullRequestNamespace(42, 'shop')).toBe('shop-pr-42');
  });

  it('is a DNS-1123 label for the longest prefix and the largest pull-request number', () => {
    const namespace = pullRequestNamespace(2_147_483_647, 'p'.repeat(NAMESPACE_PREFIX_MAX_LENGTH));
    expect(namespace).toHaveLength(63);
    expect(isDns1123Label(namespace)).toBe(true);
  });

  it('refuses a prefix one character too long instead of truncating', () => {
    const prefix = 'p'.repeat(NAMESPACE_PREFIX_MAX_LENGTH + 1);
    expect(explainNamespacePrefix(prefix)).toMatch(/at most 49 characters \(has 50\)/);
    expect(() => pullRequestNamespace(1, prefix)).toThrow(/at most 49 characters/);
  });

  it.each(['Shop', 'shop-', '-shop', 'sh_op', 'shop.eu'])('refuses the prefix %j', (prefix) => {
    expect(explainNamespacePrefix(prefix)).toMatch(/lower-case letters, digits and "-"/);
  });

  it.each([0, -1, 1.5, 2 ** 53])('refuses %j as a pull-request number', (number) => {
    expect(() => pullRequestNamespace(number)).toThrow(`pull request number ${number} is not a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`);
  });

  it('takes a number past 32 bits while the namespace stays a 63-character label, and says when it does not', () => {
    expect(pullRequestNamespace(99_999_999_999, 'shop')).toBe('shop-pr-99999999999');
    const prefix = 'p'.repeat(NAMESPACE_PREFIX_MAX_LENGTH);
    expect(explainPullRequestNamespace(99_999_999_999, prefix)).toEqual({
      problem: `namespace ${prefix}-pr-99999999999 of pull request 99999999999 would be longer than 63 characters`,
    });
  });
});
