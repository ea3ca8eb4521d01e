/**
 * The REST operations the fake implements, as pure functions of its state: a request in, a status and a JSON body
 * out, named by the OpenAPI operation they implement so the server can validate both against GitHub's description.
 */
import { CREATE_ISSUE_COMMENT, LIST_ISSUE_COMMENTS, UPDATE_ISSUE_COMMENT } from './comments.ts';
import { CREATE_DEPLOYMENT, CREATE_DEPLOYMENT_STATUS, GET_DEPLOYMENT, LIST_DEPLOYMENTS, LIST_DEPLOYMENT_STATUSES } from './deployments.ts';
import type { OperationRef } from './openapi.ts';
import { basicError, fullRepositoryJson, pullRequestJson, pullRequestSimpleJson, type UrlBases } from './resources.ts';
import type { FakePullRequest, FakeRepository, FakeUser, RestResponse } from './model.ts';
import type { FakeGitHubState } from './state.ts';

export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** Whom the token belongs to. */
  readonly user: FakeUser;
}

export type { RestResponse };

const LIST_PULLS: OperationRef = { path: '/repos/{owner}/{repo}/pulls', method: 'get' };
const CREATE_PULL: OperationRef = { path: '/repos/{owner}/{repo}/pulls', method: 'post' };
const GET_PULL: OperationRef = { path: '/repos/{owner}/{repo}/pulls/{pull_number}', method: 'get' };
const UPDATE_PULL: OperationRef = { path: '/repos/{owner}/{repo}/pulls/{pull_number}', method: 'patch' };
const GET_REPO: OperationRef = { path: '/repos/{owner}/{repo}', method: 'get' };

/** Every operation the fake answers (the app-token route lives in app-auth.ts). */
export const IMPLEMENTED_OPERATIONS: readonly OperationRef[] = [
  LIST_PULLS,
  CREATE_PULL,
  GET_PULL,
  UPDATE_PULL,
  GET_REPO,
  LIST_DEPLOYMENTS,
  CREATE_DEPLOYMENT,
  GET_DEPLOYMENT,
  LIST_DEPLOYMENT_STATUSES,
  CREATE_DEPLOYMENT_STATUS,
  LIST_ISSUE_COMMENTS,
  CREATE_ISSUE_COMMENT,
  UPDATE_ISSUE_COMMENT,
];

const notFound = (operation?: OperationRef): RestResponse => ({ status: 404, body: basicError('Not Found'), operation });

const validationFailed = (operation: OperationRef, message: string): RestResponse => ({
  status: 422,
  body: { ...basicError('Validation Failed'), errors: [{ resource: 'PullRequest', code: 'custom', message }] },
  operation,
});

/** The operation a request addresses (before acting on it: its body is checked first). */
export function operationOf(method: string, path: string): OperationRef | undefined {
  if (/^\/repos\/[^/]+\/[^/]+\/pulls$/.test(path)) return method === 'POST' ? CREATE_PULL : method === 'GET' ? LIST_PULLS : undefined;
  if (/^\/repos\/[^/]+\/[^/]+\/pulls\/\d+$/.test(path)) return method === 'PATCH' ? UPDATE_PULL : method === 'GET' ? GET_PULL : undefined;
  if (/^\/repos\/[^/]+\/[^/]+\/deployments$/.test(path)) return method === 'POST' ? CREATE_DEPLOYMENT : LIST_DEPLOYMENTS;
  if (/^\/repos\/[^/]+\/[^/]+\/deployments\/\d+\/statuses$/.test(path)) return method === 'POST' ? CREATE_DEPLOYMENT_STATUS : LIST_DEPLOYMENT_STATUSES;
  if (/^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(path)) return method === 'POST' ? CREATE_ISSUE_COMMENT : LIST_ISSUE_COMMENTS;
  if (/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/.test(path) && method === 'PATCH') return UPDATE_ISSUE_COMMENT;
  return undefined;
}

export function routeRestRequest(state: FakeGitHubState, urls: UrlBases, request: RestRequest): RestResponse {
  const { method, path } = request;
  let m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path);
  if (m && method === 'GET') {
    const repo = state.repository(`${m[1]}/${m[2]}`);
    return repo ? { status: 200, body: fullRepositoryJson(repo, urls), operation: GET_REPO } : notFound(GET_REPO);
  }
  // GitHub's Link headers point at /repositories/{id}/pulls; both spellings list the same pulls.
  m = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(path);
  const byId = /^\/repositories\/(\d+)\/pulls$/.exec(path);
  if ((m || byId) && method === 'GET') {
    const repo = m ? state.repository(`${m[1]}/${m[2]}`) : state.repositoryById(Number(byId?.[1]));
    return repo ? listPulls(repo, urls, request.query) : notFound(LIST_PULLS);
  }
  if (m && method === 'POST') {
    const repo = state.repository(`${m[1]}/${m[2]}`);
    return repo ? createPull(state, repo, urls, request.body) : notFound(CREATE_PULL);
  }
  m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(path);
  if (m && (method === 'GET' || method === 'PATCH')) {
    const operation = method === 'GET' ? GET_PULL : UPDATE_PULL;
    const repo = state.repository(`${m[1]}/${m[2]}`);
    const pull = repo?.pulls.get(Number(m[3]));
    if (!repo || !pull) return notFound(operation);
    if (method === 'GET') return { status: 200, body: pullRequestJson(pull, repo, urls), operation };
    return updatePull(state, repo, pull, urls, request.body);
  }
  m = /^\/repos\/([^/]+)\/([^/]+)\/(deployments|issues)(\/.*)?$/.exec(path);
  const repo = m ? state.repository(`${m[1]}/${m[2]}`) : undefined;
  if (m && repo) {
    const store = m[3] === 'deployments' ? state.deployments : state.comments;
    const answer = store.route(repo, request.user, urls, method, m[4] ?? '', request.query, request.body);
    if (answer) return answer;
  }
  return notFound(m ? operationOf(method, path) : undefined);
}

// Ascending order of each sort; ties (the fake's clock only moves when told) fall back to the number.
const byCreated = (a: FakePullRequest, b: FakePullRequest) => a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number;
const SORT_KEYS = {
  created: byCreated,
  updated: (a: FakePullRequest, b: FakePullRequest) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.number - b.number,
  popularity: (a: FakePullRequest, b: FakePullRequest) => a.number - b.number,
  'long-running': byCreated,
} as const;

function listPulls(repo: FakeRepository, urls: UrlBases, query: URLSearchParams): RestResponse {
  const state = query.get('state') ?? 'open';
  const sort = (query.get('sort') ?? 'created') as keyof typeof SORT_KEYS;
  const direction = query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
  const perPage = Number(query.get('per_page') ?? 30);
  const page = Number(query.get('page') ?? 1);
  if (!['open', 'closed', 'all'].includes(state)) return validationFailed(LIST_PULLS, `invalid state: ${state}`);
  if (!(sort in SORT_KEYS)) return validationFailed(LIST_PULLS, `invalid sort: ${sort}`);
  if (!['asc', 'desc'].includes(direction)) return validationFailed(LIST_PULLS, `invalid direction: ${direction}`);
  // GitHub caps per_page at 100 rather than refusing more.
  const size = Number.isInteger(perPage) && perPage > 0 ? Math.min(perPage, 100) : 30;
  const pageNumber = Number.isInteger(page) && page > 0 ? page : 1;

  const head = query.get('head');
  const base = query.get('base');
  const ascending = SORT_KEYS[sort];
  const matching = [...repo.pulls.values()]
    .filter((p) => state === 'all' || p.state === state)
    .filter((p) => !head || `${p.headRepository.owner.login}:${p.headRef}` === qualifyHead(repo, head))
    .filter((p) => !base || p.baseRef === base)
    .sort((a, b) => (direction === 'desc' ? ascending(b, a) : ascending(a, b)));

  const lastPage = Math.max(1, Math.ceil(matching.length / size));
  const items = matching.slice((pageNumber - 1) * size, pageNumber * size);
  const link = linkHeader(urls, repo, query, pageNumber, lastPage, size);
  return {
    status: 200,
    body: items.map((p) => pullRequestSimpleJson(p, repo, urls)),
    headers: link ? { link } : {},
    operation: LIST_PULLS,
  };
}

// `head=branch` without an owner means a branch of the repository itself.
function qualifyHead(repo: FakeRepository, head: string): string {
  return head.includes(':') ? head : `${repo.owner.login}:${head}`;
}

function linkHeader(urls: UrlBases, repo: FakeRepository, query: URLSearchParams, page: number, lastPage: number, perPage: number): string | undefined {
  if (lastPage <= 1) return undefined;
  const at = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('per_page', String(perPage));
    q.set('page', String(n));
    return `<${urls.api}/repositories/${repo.id}/pulls?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.join(', ');
}

function createPull(state: FakeGitHubState, repo: FakeRepository, urls: UrlBases, body: unknown): RestResponse {
  const input = body as { title?: string; head: string; base: string; body?: string; draft?: boolean };
  if (!input.title) return validationFailed(CREATE_PULL, 'title is required (creating from an issue is not faked)');
  const [forkOwner, branch] = input.head.includes(':') ? input.head.split(':', 2) : [undefined, input.head];
  const fromFork = forkOwner && forkOwner.toLowerCase() !== repo.owner.login.toLowerCase() ? forkOwner : undefined;
  const duplicate = [...repo.pulls.values()].find(
    (p) =>
      p.state === 'open' &&
      p.headRef === branch &&
      p.baseRef === input.base &&
      p.headRepository.owner.login.toLowerCase() === (fromFork ?? repo.owner.login).toLowerCase(),
  );
  if (duplicate) {
    return validationFailed(CREATE_PULL, `A pull request already exists for ${input.head}.`);
  }
  const pull = state.openPullRequest(repo.fullName, {
    head: branch ?? input.head,
    base: input.base,
    title: input.title,
    body: input.body ?? null,
    draft: input.draft ?? false,
    author: fromFork ?? repo.owner.login,
    ...(fromFork ? { fromForkOf: fromFork } : {}),
  });
  return {
    status: 201,
    body: pullRequestJson(pull, repo, urls),
    headers: { location: `${urls.api}/repos/${repo.fullName}/pulls/${pull.number}` },
    operation: CREATE_PULL,
  };
}

function updatePull(state: FakeGitHubState, repo: FakeRepository, pull: FakePullRequest, urls: UrlBases, body: unknown): RestResponse {
  const input = body as { title?: string; body?: string; state?: 'open' | 'closed'; base?: string; maintainer_can_modify?: boolean };
  const updated = state.updatePullRequest(repo.fullName, pull.number, {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.state !== undefined ? { state: input.state } : {}),
    ...(input.base !== undefined ? { base: input.base } : {}),
    ...(input.maintainer_can_modify !== undefined ? { maintainerCanModify: input.maintainer_can_modify } : {}),
  });
  return { status: 200, body: pullRequestJson(updated, repo, urls), operation: UPDATE_PULL };
}

export { CREATE_PULL, GET_PULL, GET_REPO, LIST_PULLS, UPDATE_PULL };
