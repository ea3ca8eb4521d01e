/**
 * The one comment per pull request about its preview: found again by a hidden marker (so a restart edits it
 * rather than adding a second), written only when its text changes. Its text depends on nothing that moves by
 * itself (the expiry is a date, not a countdown), so a quiet hour writes nothing.
 */
import type { Octokit } from '@octokit/rest';

export interface PreviewView {
  readonly app: string;
  readonly number: number;
  /** The preview's address, when it has one. */
  readonly url: string | undefined;
  /** `in_progress`, `success`, `failure`, or `removed` when the preview is gone. */
  readonly state: 'in_progress' | 'success' | 'failure' | 'removed';
  readonly reason: string | undefined;
  /** The commit the preview deploys, and the pull request's head. */
  readonly deployedSha: string | undefined;
  readonly headSha: string | undefined;
  readonly health: string;
  readonly sync: string;
  /** The Application in Argo CD's UI. */
  readonly logUrl: string | undefined;
  /** When it expires without activity (ms), or `kept` with the keep label, or undefined when it does not. */
  readonly expiresAt: number | 'kept' | undefined;
  readonly keepLabel: string | undefined;
}

/** The hidden marker of `app`'s comment (one app's previews of a repository each have their own). */
export function commentMarker(app: string): string {
  return `<!-- dynenv:preview:${app} -->`;
}

const STATE_LINE: Record<PreviewView['state'], string> = {
  in_progress: '⏳ deploying',
  success: '✅ ready',
  failure: '❌ failed',
  removed: '🗑️ removed',
};

/** The comment's Markdown for `view`. */
export function renderPreviewComment(view: PreviewView): string {
  const short = (sha: string | undefined) => (sha ? `\`${sha.slice(0, 7)}\`` : 'nothing yet');
  const lines = [commentMarker(view.app), `### Preview of ${view.app}: ${STATE_LINE[view.state]}`, ''];
  if (view.state === 'removed') {
    lines.push('The preview was removed: the pull request closed, or it no longer matches the preview filters.');
    return lines.join('\n');
  }
  if (view.url) lines.push(`- **URL:** ${view.url}`);
  const behind = view.headSha && view.deployedSha !== view.headSha ? ` (head is ${short(view.headSha)})` : '';
  lines.push(`- **Commit:** ${short(view.deployedSha)}${behind}`);
  lines.push(`- **Health:** ${view.health}, **sync:** ${view.sync}`);
  if (view.state === 'failure' && view.reason) lines.push(`- **Why:** ${view.reason.replaceAll('\n', ' ')}`);
  if (view.logUrl) lines.push(`- **Argo CD:** ${view.logUrl}`);
  if (view.expiresAt === 'kept') lines.push(`- **Expires:** never, while the pull request carries the \`${view.keepLabel}\` label`);
  else if (view.expiresAt !== undefined) {
    const when = new Date(view.expiresAt)
      .toISOString()
      .replace(/:\d\d\.\d{3}Z$/, ' UTC')
      .replace('T', ' ');
    lines.push(`- **Expires:** ${when} without activity${view.keepLabel ? ` (label \`${view.keepLabel}\` keeps it)` : ''}`);
  }
  return lines.join('\n');
}

/** The comments of one repository's pull requests, as far as this app's previews go. */
export class PreviewComments {
  /** Per pull request: the comment's id and text, once found or written. */
  private readonly known = new Map<number, { id: number; body: string } | null>();

  constructor(
    private readonly octokit: Octokit,
    private readonly owner: string,
    private readonly repo: string,
    private readonly app: string,
  ) {}

  /**
   * Makes the comment of pull request `number` read `body`; creates it only when `create` (a preview that never
   * existed gets no comment). Resolves to the number of writes.
   */
  async reconcile(number: number, body: string, create: boolean): Promise<number> {
    const existing = await this.find(number);
    if (existing?.body === body) return 0;
    if (existing) {
      try {
        await this.octokit.rest.issues.updateComment({ owner: this.owner, repo: this.repo, comment_id: existing.id, body });
        this.known.set(number, { id: existing.id, body });
        return 1;
      } catch (error) {
        // Deleted meanwhile, or someone else's comment carrying the marker: write one of our own.
        if (![403, 404].includes((error as { status?: number }).status ?? 0)) throw error;
      }
    } else if (!create) return 0;
    const { data } = await this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: number, body });
    this.known.set(number, { id: data.id, body });
    return 1;
  }

  private async find(number: number): Promise<{ id: number; body: string } | null> {
    const known = this.known.get(number);
    if (known !== undefined) return known;
    const marker = commentMarker(this.app);
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      owner: this.owner,
      repo: this.repo,
      issue_number: number,
      per_page: 100,
    });
    // The newest: a marker someone else copied into an earlier comment cannot capture it.
    const found = comments.filter((c) => c.body?.startsWith(marker)).at(-1);
    const result = found ? { id: found.id, body: found.body ?? '' } : null;
    this.known.set(number, result);
    return result;
  }
}
