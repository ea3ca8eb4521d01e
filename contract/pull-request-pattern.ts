/**
 * The regular expressions of the `branchMatch` and `titleMatch` filters. Branch names and titles are written by
 * whoever opens a pull request, so a pattern must not be able to stall the plugin server on a crafted one: they
 * run on RE2 (re2js), whose matching time is linear in the text, whatever the pattern. A backtracking engine
 * with a "safe pattern" check is not enough: `^(a|a)*$` or `\w*\w*\w*$` pass such checks and still take
 * seconds, then hours, on a forty-character title. RE2 is also the syntax of Argo CD's own pull-request
 * generator (Go's regexp), so patterns move over unchanged; what it lacks is lookaround and backreferences.
 */
import { RE2JS } from 're2js';

/** Longest pattern accepted. */
export const MAX_PATTERN_LENGTH = 256;

/** A compiled pattern: `test` finds a match anywhere in the text (unanchored), in time linear in its length. */
export interface PullRequestPattern {
  readonly source: string;
  test(text: string): boolean;
}

/** The pattern, or the reason it is refused (a sentence fragment to follow the field's name). */
export function compilePullRequestPattern(source: string): PullRequestPattern | { readonly problem: string } {
  if (source.length > MAX_PATTERN_LENGTH) return { problem: `must be at most ${MAX_PATTERN_LENGTH} characters` };
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    const detail = (error as Error).message.replace(/^error parsing regexp: /, '');
    const hint = /\(\?[=!<]|\\\d/.test(source) ? ": lookaround and backreferences are not supported (RE2 syntax, as in Argo CD's pull-request generator)" : '';
    return { problem: `is not a valid regular expression (${detail})${hint}` };
  }
  return { source, test: (text) => compiled.test(text) };
}
