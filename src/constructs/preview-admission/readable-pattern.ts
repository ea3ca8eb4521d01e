import { PLACEHOLDER } from '../../config/preview-pattern.ts';

/** A pattern as a policy's message shows it: `pr-{{number}}` → `pr-<number>`. */
export function readablePattern(pattern: string): string {
  return pattern.replace(PLACEHOLDER, (_, name: string) => `<${name}>`);
}
