import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NAMESPACE_PREFIX_MAX_LENGTH,
  SLUG_MAX_LENGTH,
  explainNamespacePrefix,
  isDns1123Label,
  pullRequestNamespace,
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

describe('slugify (gosimple/slug as Argo CD configures it)', () => {
  it.each(protocolVectors)('docs/plugin-protocol.md vector %j → %j', (branch, slug) => {
    expect(slugify(branch)).toBe(slug);
  });

  it.each(gosimpleBehaviour)('%j → %j (%s)', (branch, slug) => {
    expect(slugify(branch)).toBe(slug);
  });

  it('always yields lower-case ASCII words joined by single dashes, at most 50 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (branch) => {
        const slug = slugify(branch);
        expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
        expect(slug).toMatch(/^([a-z0-9_]+(-[a-z0-9_]+)*)?$/);
        expect(slugify(slug)).toBe(slug);
      }),
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

  it.each([0, -1, 1.5, 99_999_999_999])('refuses %j as a pull-request number', (number) => {
    expect(() => pullRequestNamespace(number)).toThrow(/not a pull-request number/);
  });
});
