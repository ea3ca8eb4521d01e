/**
 * The JSON the fake answers with, typed by GitHub's own OpenAPI types (@octokit/openapi-types): a field GitHub
 * requires and the fake forgets, or a field of the wrong type, does not compile. (The fake also validates every
 * response against the OpenAPI schemas at run time; see openapi.ts.)
 */
import type { components } from '@octokit/openapi-types';
import type { FakePullRequest, FakeRepository, FakeUser } from './model.ts';

type Schemas = components['schemas'];
export type PullRequestSimpleJson = Schemas['pull-request-simple'];
export type PullRequestJson = Schemas['pull-request'];
export type RepositoryJson = Schemas['repository'];
export type FullRepositoryJson = Schemas['full-repository'];
export type SimpleUserJson = Schemas['simple-user'];
export type InstallationTokenJson = Schemas['installation-token'];
export type BasicErrorJson = Schemas['basic-error'];

/** Where the fake's URLs point: its own loopback API, and a web host for `html_url`s. */
export interface UrlBases {
  /** e.g. `http://127.0.0.1:43121` */
  readonly api: string;
  /** e.g. `https://github.com` */
  readonly web: string;
}

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function userJson(user: FakeUser, urls: UrlBases): SimpleUserJson {
  const api = `${urls.api}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    avatar_url: `${urls.web}/avatars/${user.login}`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.web}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    site_admin: false,
  };
}

export function repositoryJson(repo: FakeRepository, urls: UrlBases): RepositoryJson {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    license: null,
    forks: 0,
    owner: userJson(repo.owner, urls),
    private: repo.private,
    html_url: `${urls.web}/${repo.fullName}`,
    description: null,
    fork: repo.forkOf !== undefined,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://fake-github/${repo.fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@fake-github:${repo.fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${urls.web}/${repo.fullName}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: `${urls.web}/${repo.fullName}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues_count: [...repo.pulls.values()].filter((p) => p.state === 'open').length,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: iso(repo.createdAt),
    created_at: iso(repo.createdAt),
    updated_at: iso(repo.createdAt),
    open_issues: [...repo.pulls.values()].filter((p) => p.state === 'open').length,
    watchers: 0,
  };
}

export function fullRepositoryJson(repo: FakeRepository, urls: UrlBases): FullRepositoryJson {
  const created = iso(repo.createdAt);
  return {
    ...repositoryJson(repo, urls),
    pushed_at: created,
    created_at: created,
    updated_at: created,
    has_discussions: false,
    network_count: 0,
    subscribers_count: 0,
  };
}

function branchJson(repo: FakeRepository, ref: string, sha: string, urls: UrlBases): PullRequestJson['head'] {
  return {
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha,
    repo: repositoryJson(repo, urls),
    user: userJson(repo.owner, urls),
  };
}

export function pullRequestSimpleJson(
  pull: FakePullRequest,
  base: FakeRepository,
  urls: UrlBases,
): PullRequestSimpleJson & Pick<PullRequestJson, 'head' | 'base' | 'user'> {
  const api = `${urls.api}/repos/${base.fullName}`;
  const self = `${api}/pulls/${pull.number}`;
  const html = `${urls.web}/${base.fullName}/pull/${pull.number}`;
  return {
    url: self,
    id: pull.id,
    node_id: `PR_${pull.id}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(pull.author, urls),
    body: pull.body,
    labels: pull.labels.map((name) => ({
      id: labelId(name),
      node_id: `LA_${labelId(name)}`,
      url: `${api}/labels/${encodeURIComponent(name)}`,
      name,
      description: '',
      color: 'ededed',
      default: false,
    })),
    milestone: null,
    active_lock_reason: null,
    created_at: iso(pull.createdAt),
    updated_at: iso(pull.updatedAt),
    closed_at: pull.closedAt ? iso(pull.closedAt) : null,
    merged_at: pull.mergedAt ? iso(pull.mergedAt) : null,
    merge_commit_sha: pull.mergedAt ? pull.headSha : null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchJson(pull.headRepository, pull.headRef, pull.headSha, urls),
    base: branchJson(base, pull.baseRef, base.headOf(pull.baseRef), urls),
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: `${api}/issues/${pull.number}` },
      comments: { href: `${api}/issues/${pull.number}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${api}/statuses/${pull.headSha}` },
    },
    author_association: pull.author.login === base.owner.login ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: pull.draft,
  };
}

export function pullRequestJson(pull: FakePullRequest, base: FakeRepository, urls: UrlBases): PullRequestJson {
  return {
    ...pullRequestSimpleJson(pull, base, urls),
    state: pull.state,
    user: userJson(pull.author, urls),
    merged: pull.mergedAt !== undefined,
    mergeable: pull.state === 'open' ? true : null,
    rebaseable: pull.state === 'open' ? true : null,
    mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}

export function basicError(message: string): BasicErrorJson {
  return { message, documentation_url: 'https://docs.github.com/rest' };
}

// Stable per name, so a label keeps its id across responses (GitHub's ids are stable too).
function labelId(name: string): number {
  let hash = 7;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 2_000_000_000;
  return hash + 1;
}
