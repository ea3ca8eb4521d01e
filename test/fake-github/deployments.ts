/**
 * Deployments and deployment statuses in the fake GitHub, as the REST API keeps them: listed newest first,
 * filtered by `sha`, `ref`, `task` and `environment`; a status is appended, never changed; `auto_inactive`
 * (default true) marks the earlier successful deployments of the same non-transient, non-production environment
 * inactive, as GitHub documents. JSON typed by @octokit/openapi-types and validated against the OpenAPI
 * description by the server.
 */
import type { components } from '@octokit/openapi-types';
import type { OperationRef } from './openapi.ts';
import { basicError, userJson, type UrlBases } from './resources.ts';
import type { FakeRepository, FakeUser, RestResponse } from './model.ts';

type DeploymentJson = components['schemas']['deployment'];
type DeploymentStatusJson = components['schemas']['deployment-status'];
export type DeploymentState = DeploymentStatusJson['state'];

export const LIST_DEPLOYMENTS: OperationRef = { path: '/repos/{owner}/{repo}/deployments', method: 'get' };
export const CREATE_DEPLOYMENT: OperationRef = { path: '/repos/{owner}/{repo}/deployments', method: 'post' };
export const GET_DEPLOYMENT: OperationRef = { path: '/repos/{owner}/{repo}/deployments/{deployment_id}', method: 'get' };
export const LIST_DEPLOYMENT_STATUSES: OperationRef = { path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', method: 'get' };
export const CREATE_DEPLOYMENT_STATUS: OperationRef = { path: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', method: 'post' };

export interface FakeDeploymentStatus {
  readonly id: number;
  readonly state: DeploymentState;
  readonly description: string;
  readonly environmentUrl: string;
  readonly logUrl: string;
  readonly creator: FakeUser;
  readonly createdAt: Date;
}

export interface FakeDeployment {
  readonly id: number;
  readonly repository: string;
  readonly sha: string;
  readonly ref: string;
  readonly task: string;
  readonly environment: string;
  readonly description: string | null;
  readonly payload: Record<string, unknown> | string;
  readonly transientEnvironment: boolean;
  readonly productionEnvironment: boolean;
  readonly creator: FakeUser;
  readonly createdAt: Date;
  updatedAt: Date;
  /** Oldest first. */
  readonly statuses: FakeDeploymentStatus[];
}

/** What the deployment routes need of the fake. */
export interface DeploymentHost {
  now(): Date;
  nextId(): number;
  /** Marks a change, so rendered answers are not reused. */
  touch(): void;
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class FakeDeployments {
  /** Every deployment, oldest first. */
  readonly all: FakeDeployment[] = [];

  constructor(private readonly host: DeploymentHost) {}

  /** Deployments of `repository` (and `environment`), newest first. */
  of(repository: string, environment?: string): FakeDeployment[] {
    return this.all
      .filter((d) => d.repository.toLowerCase() === repository.toLowerCase() && (environment === undefined || d.environment === environment))
      .reverse();
  }

  /** The state of its newest status, or undefined when it has none. */
  lastState(deployment: FakeDeployment): DeploymentState | undefined {
    return deployment.statuses.at(-1)?.state;
  }

  route(repo: FakeRepository, user: FakeUser, urls: UrlBases, method: string, rest: string, query: URLSearchParams, body: unknown): RestResponse | undefined {
    if (rest === '' && method === 'GET') return this.list(repo, urls, query);
    if (rest === '' && method === 'POST') return this.create(repo, user, urls, body);
    const m = /^\/(\d+)(\/statuses)?$/.exec(rest);
    if (!m) return undefined;
    const deployment = this.all.find((d) => d.id === Number(m[1]) && d.repository === repo.fullName);
    if (!m[2]) {
      if (method !== 'GET') return undefined;
      return deployment
        ? { status: 200, body: deploymentJson(deployment, repo, urls), operation: GET_DEPLOYMENT }
        : { status: 404, body: basicError('Not Found'), operation: GET_DEPLOYMENT };
    }
    const operation = method === 'POST' ? CREATE_DEPLOYMENT_STATUS : LIST_DEPLOYMENT_STATUSES;
    if (!deployment) return { status: 404, body: basicError('Not Found'), operation };
    if (method === 'GET') {
      const page = paginate([...deployment.statuses].reverse(), query);
      return { status: 200, body: page.map((s) => statusJson(s, deployment, repo, urls)), operation };
    }
    if (method === 'POST') return this.addStatus(repo, user, urls, deployment, body);
    return undefined;
  }

  private list(repo: FakeRepository, urls: UrlBases, query: URLSearchParams): RestResponse {
    const matching = this.of(repo.fullName).filter(
      (d) =>
        (!query.get('sha') || d.sha === query.get('sha')) &&
        (!query.get('ref') || d.ref === query.get('ref')) &&
        (!query.get('task') || d.task === query.get('task')) &&
        (!query.get('environment') || d.environment === query.get('environment')),
    );
    return { status: 200, body: paginate(matching, query).map((d) => deploymentJson(d, repo, urls)), operation: LIST_DEPLOYMENTS };
  }

  private create(repo: FakeRepository, user: FakeUser, urls: UrlBases, body: unknown): RestResponse {
    const input = body as {
      ref: string;
      task?: string;
      environment?: string;
      description?: string | null;
      payload?: Record<string, unknown> | string;
      transient_environment?: boolean;
      production_environment?: boolean;
      auto_merge?: boolean;
      required_contexts?: string[];
    };
    // Without auto_merge: false GitHub may merge the default branch into the ref; without required_contexts: []
    // it refuses while checks are pending. A preview deployment wants neither: the fake holds callers to that.
    if (input.auto_merge !== false || !Array.isArray(input.required_contexts) || input.required_contexts.length > 0) {
      // GitHub documents this 409 (a merge conflict, or checks not passed) without a body.
      return { status: 409, operation: CREATE_DEPLOYMENT };
    }
    const sha = /^[0-9a-f]{40}$/.test(input.ref) ? input.ref : repo.headOf(input.ref);
    const now = this.host.now();
    const environment = input.environment ?? 'production';
    const deployment: FakeDeployment = {
      id: this.host.nextId(),
      repository: repo.fullName,
      sha,
      ref: input.ref,
      task: input.task ?? 'deploy',
      environment,
      description: input.description ?? null,
      payload: input.payload ?? {},
      transientEnvironment: input.transient_environment ?? false,
      productionEnvironment: input.production_environment ?? environment === 'production',
      creator: user,
      createdAt: now,
      updatedAt: now,
      statuses: [],
    };
    this.all.push(deployment);
    this.host.touch();
    return { status: 201, body: deploymentJson(deployment, repo, urls), operation: CREATE_DEPLOYMENT };
  }

  private addStatus(repo: FakeRepository, user: FakeUser, urls: UrlBases, deployment: FakeDeployment, body: unknown): RestResponse {
    const input = body as { state: DeploymentState; description?: string; environment_url?: string; log_url?: string; auto_inactive?: boolean };
    const now = this.host.now();
    const status: FakeDeploymentStatus = {
      id: this.host.nextId(),
      state: input.state,
      description: input.description ?? '',
      environmentUrl: input.environment_url ?? '',
      logUrl: input.log_url ?? '',
      creator: user,
      createdAt: now,
    };
    deployment.statuses.push(status);
    deployment.updatedAt = now;
    if (input.state === 'success' && input.auto_inactive !== false) {
      for (const earlier of this.of(repo.fullName, deployment.environment)) {
        if (earlier === deployment || earlier.transientEnvironment || earlier.productionEnvironment) continue;
        if (this.lastState(earlier) === 'success') {
          earlier.statuses.push({ ...status, id: this.host.nextId(), state: 'inactive', description: '' });
        }
      }
    }
    this.host.touch();
    return { status: 201, body: statusJson(status, deployment, repo, urls), operation: CREATE_DEPLOYMENT_STATUS };
  }
}

function paginate<T>(items: readonly T[], query: URLSearchParams): T[] {
  const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
  return items.slice((page - 1) * perPage, page * perPage);
}

function deploymentJson(d: FakeDeployment, repo: FakeRepository, urls: UrlBases): DeploymentJson {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    url: `${api}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(d.creator, urls),
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
    statuses_url: `${api}/deployments/${d.id}/statuses`,
    repository_url: api,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
  };
}

function statusJson(s: FakeDeploymentStatus, d: FakeDeployment, repo: FakeRepository, urls: UrlBases): DeploymentStatusJson {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    url: `${api}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: userJson(s.creator, urls),
    description: s.description,
    environment: d.environment,
    // GitHub's description requires a URI here (it sends "" when none was given, which its own schema refuses).
    target_url: s.logUrl || `${api}/deployments/${d.id}`,
    created_at: iso(s.createdAt),
    updated_at: iso(s.createdAt),
    deployment_url: `${api}/deployments/${d.id}`,
    repository_url: api,
    ...(s.environmentUrl !== '' && { environment_url: s.environmentUrl }),
    ...(s.logUrl !== '' && { log_url: s.logUrl }),
  };
}
