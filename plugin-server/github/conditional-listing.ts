/**
 * The open pull requests of one repository, listed 100 a page with conditional requests: every page is asked for
 * with the ETag it had last time, so an unchanged repository costs only 304s, which GitHub does not count against
 * the rate limit.
 *
 * Pages are fetched one after another, so a listing assembled from them can mix two moments (a pull request
 * closed between page 1 and page 2 shifts page 2 and one pull request is never seen). A listing is therefore only
 * used whole: after any page changed, the server asks again for every page with the new ETags, and uses the set
 * only once a full pass came back unchanged. Each page then held the same content from its first fetch to its
 * confirmation, and those intervals overlap, so the set is what GitHub held at one instant.
 */
import { RequestError } from '@octokit/request-error';
import type { Octokit } from '@octokit/rest';
import { splitRepositoryName } from '../repositories.ts';
import { parsePullRequestPage, type PullRequest } from './pull-request.ts';
import { UpstreamError, classifyUpstreamError } from './upstream-error.ts';

/** GitHub's largest page. */
export const PULLS_PER_PAGE = 100;
/** 10,000 open pull requests: past that, something is wrong, and looping on would not fix it. */
const MAX_PAGES = 100;
/** Passes before giving up on a repository that changes faster than it can be listed. */
const MAX_PASSES = 4;
/**
 * Known pages are revalidated this many at a time: a poll then waits one round trip to GitHub instead of one per
 * page. Few, because GitHub asks clients not to fire many concurrent requests.
 */
const PARALLEL_REVALIDATIONS = 4;

interface CachedPage {
  readonly etag: string | undefined;
  readonly pullRequests: readonly PullRequest[];
  /** GitHub's Link header said there is a next page (when this page was last fetched). */
  readonly hasNext: boolean;
}

export interface ConfirmedListing {
  readonly pullRequests: readonly PullRequest[];
  /** False when the first pass was all 304s: the previous listing (the same array) still holds. */
  readonly changed: boolean;
}

export class ConditionalPullRequestLister {
  private pages: CachedPage[] = [];
  private confirmed: readonly PullRequest[] | undefined;
  private readonly owner: string;
  private readonly repo: string;

  constructor(
    private readonly octokit: Octokit,
    private readonly repository: string,
  ) {
    [this.owner, this.repo] = splitRepositoryName(repository);
  }

  /** Every open pull request, as a set GitHub confirmed whole; throws an UpstreamError otherwise. */
  async list(signal: AbortSignal): Promise<ConfirmedListing> {
    let changed = false;
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const pages = await this.pass(signal);
      // Past its deadline a run has been answered for already, and the next one may be under way: change nothing.
      if (signal.aborted) throw new UpstreamError('timeout', `GitHub did not finish listing ${this.repository}'s pull requests in time`);
      const passChanged = pages.length !== this.pages.length || pages.some((page, i) => page !== this.pages[i]);
      this.pages = pages;
      if (!passChanged && this.confirmed) return { pullRequests: this.confirmed, changed };
      if (!passChanged) {
        this.confirmed = assemble(pages, this.repository);
        return { pullRequests: this.confirmed, changed: true };
      }
      changed = true;
      this.confirmed = undefined;
    }
    throw new UpstreamError(
      'unstable',
      `${this.repository}'s pull requests changed during each of ${MAX_PASSES} listings; not answering a possibly partial list`,
    );
  }

  /**
   * One walk over every page, conditional where an ETag is known (a 304 keeps the cached page object): the known
   * pages a few at a time, then any further page one by one.
   */
  private async pass(signal: AbortSignal): Promise<CachedPage[]> {
    const pages: CachedPage[] = [];
    for (let start = 1; start <= this.pages.length; start += PARALLEL_REVALIDATIONS) {
      const numbers = Array.from({ length: Math.min(PARALLEL_REVALIDATIONS, this.pages.length - start + 1) }, (_, i) => start + i);
      const batch = await Promise.all(numbers.map((n) => this.revalidatePage(n, signal)));
      for (const page of batch) {
        pages.push(page);
        if (isLastPage(page)) return pages;
      }
    }
    for (let number = pages.length + 1; number <= MAX_PAGES; number++) {
      const page = await this.revalidatePage(number, signal);
      pages.push(page);
      if (isLastPage(page)) return pages;
    }
    throw new UpstreamError('invalid-response', `${this.repository} has more than ${MAX_PAGES * PULLS_PER_PAGE} open pull requests`);
  }

  private async revalidatePage(number: number, signal: AbortSignal): Promise<CachedPage> {
    const cached = this.pages[number - 1];
    const page = (await this.fetchPage(number, cached?.etag, signal)) ?? cached;
    if (!page) throw new UpstreamError('invalid-response', `GitHub answered 304 for page ${number} of ${this.repository} without an ETag asked`);
    return page;
  }

  /** The page, or undefined when GitHub answered 304 Not Modified. */
  private async fetchPage(page: number, etag: string | undefined, signal: AbortSignal): Promise<CachedPage | undefined> {
    try {
      const response = await this.octokit.rest.pulls.list({
        owner: this.owner,
        repo: this.repo,
        state: 'open',
        per_page: PULLS_PER_PAGE,
        page,
        headers: etag ? { 'if-none-match': etag } : {},
        request: { signal },
      });
      return {
        etag: response.headers.etag,
        pullRequests: parsePullRequestPage(response.data, this.repository, page),
        hasNext: /\brel="next"/.test(response.headers.link ?? ''),
      };
    } catch (error) {
      if (error instanceof RequestError && error.status === 304 && etag) return undefined;
      // Octokit wraps a fetch aborted by our deadline as a network error; the deadline is the cause.
      if (signal.aborted) {
        throw new UpstreamError('timeout', `GitHub did not finish listing ${this.repository}'s pull requests in time`);
      }
      throw classifyUpstreamError(error, this.repository);
    }
  }
}

// Follow Link, and also any full page: a 304 does not refresh a cached page's Link, and a pull request reopened
// past the end of a full last page changes only the page after it.
function isLastPage(page: CachedPage): boolean {
  return !page.hasNext && page.pullRequests.length < PULLS_PER_PAGE;
}

function assemble(pages: readonly CachedPage[], repository: string): readonly PullRequest[] {
  const pullRequests = pages.flatMap((p) => p.pullRequests);
  const numbers = new Set(pullRequests.map((p) => p.number));
  // Impossible for a confirmed set unless GitHub itself is inconsistent; two Applications of one name would be.
  if (numbers.size !== pullRequests.length) {
    throw new UpstreamError('invalid-response', `GitHub listed a pull request of ${repository} twice`);
  }
  return pullRequests;
}
