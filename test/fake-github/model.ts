/**
 * The shapes the fake GitHub's parts share: what it stores (state.ts keeps it) and what a route answers
 * (routes.ts, comments.ts, deployments.ts render it). Types only, so that those modules need not import each other.
 */
import type { OperationRef } from './openapi.ts';

export interface FakeUser {
  readonly login: string;
  readonly id: number;
  readonly type: 'User' | 'Organization' | 'Bot';
}

export interface FakeRepository {
  readonly id: number;
  readonly owner: FakeUser;
  readonly name: string;
  /** `owner/name` */
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly private: boolean;
  readonly createdAt: Date;
  /** The repository this one is a fork of, when it is a fork. */
  readonly forkOf: FakeRepository | undefined;
  /** Read-only: change pull requests through FakeGitHubState's methods, which also move `version`. */
  readonly pulls: ReadonlyMap<number, FakePullRequest>;
  /** The head commit of `branch` (made up, stable per branch). */
  headOf(branch: string): string;
}

/** A pull request; change it through FakeGitHubState's methods only (they keep `version` honest). */
export interface FakePullRequest {
  readonly number: number;
  readonly id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  headRef: string;
  headSha: string;
  /** Where the head branch lives: the base repository itself, or a fork of it. */
  readonly headRepository: FakeRepository;
  baseRef: string;
  readonly author: FakeUser;
  labels: string[];
  maintainerCanModify: boolean;
  readonly createdAt: Date;
  updatedAt: Date;
  closedAt: Date | undefined;
  mergedAt: Date | undefined;
}

export interface RestResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The documented operation this answers, when the route is one. */
  readonly operation?: OperationRef;
}
