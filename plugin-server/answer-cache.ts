/**
 * Serialized getparams answers, reused while the listing and the question are the same. Most polls find GitHub
 * unchanged (a 304, or a check less than a second old) and ask what they asked before, so the answer, about
 * half a kilobyte per pull request, is rendered once per change instead of once per poll; and kept as bytes, so
that sending it does not encode it again.
 */
import type { PullRequest } from './github/pull-request.ts';

export class AnswerCache {
  private readonly entries = new Map<string, { listing: readonly PullRequest[]; body: Buffer }>();

  /** @param capacity answers kept, least recently used dropped first. @default 64 */
  constructor(private readonly capacity = 64) {}

  /** The answer rendered for `key` from exactly this listing (the same array), if there is one. */
  get(key: string, listing: readonly PullRequest[]): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.listing !== listing) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.body;
  }

  set(key: string, listing: readonly PullRequest[], body: Buffer): void {
    this.entries.delete(key);
    this.entries.set(key, { listing, body });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
