/**
 * Issue comments (a pull request's conversation) in the fake GitHub: listed oldest first, created, and edited in
 * place. JSON typed by @octokit/openapi-types and validated against the OpenAPI description by the server.
 */
import type { components } from '@octokit/openapi-types';
import type { DeploymentHost } from './deployments.ts';
import type { OperationRef } from './openapi.ts';
import { basicError, userJson, type UrlBases } from './resources.ts';
import type { FakeRepository, FakeUser, RestResponse } from './model.ts';

type IssueCommentJson = components['schemas']['issue-comment'];

export const LIST_ISSUE_COMMENTS: OperationRef = { path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', method: 'get' };
export const CREATE_ISSUE_COMMENT: OperationRef = { path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', method: 'post' };
export const UPDATE_ISSUE_COMMENT: OperationRef = { path: '/repos/{owner}/{repo}/issues/comments/{comment_id}', method: 'patch' };

export interface FakeIssueComment {
  readonly id: number;
  readonly repository: string;
  readonly issueNumber: number;
  body: string;
  readonly user: FakeUser;
  readonly createdAt: Date;
  updatedAt: Date;
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class FakeIssueComments {
  /** Every comment, oldest first. */
  readonly all: FakeIssueComment[] = [];

  constructor(private readonly host: DeploymentHost) {}

  /** Comments on issue or pull request `number` of `repository`, oldest first. */
  on(repository: string, number: number): FakeIssueComment[] {
    return this.all.filter((c) => c.repository.toLowerCase() === repository.toLowerCase() && c.issueNumber === number);
  }

  /** Adds a comment as `user` (a person writing on the pull request, in tests). */
  add(repository: string, number: number, user: FakeUser, body: string): FakeIssueComment {
    const now = this.host.now();
    const comment: FakeIssueComment = { id: this.host.nextId(), repository, issueNumber: number, body, user, createdAt: now, updatedAt: now };
    this.all.push(comment);
    this.host.touch();
    return comment;
  }

  /** `/issues/{n}/comments` and `/issues/comments/{id}` routes; undefined for any other path. */
  route(repo: FakeRepository, user: FakeUser, urls: UrlBases, method: string, rest: string, query: URLSearchParams, body: unknown): RestResponse | undefined {
    let m = /^\/(\d+)\/comments$/.exec(rest);
    if (m) {
      const number = Number(m[1]);
      const exists = repo.pulls.has(number);
      if (method === 'GET') {
        if (!exists) return { status: 404, body: basicError('Not Found'), operation: LIST_ISSUE_COMMENTS };
        const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30) || 30, 1), 100);
        const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
        const items = this.on(repo.fullName, number).slice((page - 1) * perPage, page * perPage);
        return { status: 200, body: items.map((c) => commentJson(c, repo, urls)), operation: LIST_ISSUE_COMMENTS };
      }
      if (method === 'POST') {
        if (!exists) return { status: 404, body: basicError('Not Found'), operation: CREATE_ISSUE_COMMENT };
        const comment = this.add(repo.fullName, number, user, (body as { body: string }).body);
        return { status: 201, body: commentJson(comment, repo, urls), operation: CREATE_ISSUE_COMMENT };
      }
      return undefined;
    }
    m = /^\/comments\/(\d+)$/.exec(rest);
    if (m && method === 'PATCH') {
      const comment = this.all.find((c) => c.id === Number(m![1]) && c.repository === repo.fullName);
      if (!comment) return { status: 404, body: basicError('Not Found'), operation: UPDATE_ISSUE_COMMENT };
      // GitHub lets a token edit its own comments; another author's needs more than this fake grants.
      if (comment.user.login !== user.login) return { status: 403, body: basicError('Must have admin rights to Repository.'), operation: UPDATE_ISSUE_COMMENT };
      comment.body = (body as { body: string }).body;
      comment.updatedAt = this.host.now();
      this.host.touch();
      return { status: 200, body: commentJson(comment, repo, urls), operation: UPDATE_ISSUE_COMMENT };
    }
    return undefined;
  }
}

function commentJson(c: FakeIssueComment, repo: FakeRepository, urls: UrlBases): IssueCommentJson {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${api}/issues/comments/${c.id}`,
    body: c.body,
    html_url: `${urls.web}/${repo.fullName}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${api}/issues/${c.issueNumber}`,
    user: userJson(c.user, urls),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    author_association: 'NONE',
  };
}
