/**
 * What the fake GitHub knows: repositories, their pull requests, users, and a clock. Tests change it directly
 * (open, close, label, push) or through the REST routes; the HTTP layer only reads it and renders JSON.
 */
import { createHash } from 'node:crypto';
import { FakeIssueComments } from './comments.ts';
import { FakeDeployments } from './deployments.ts';
import type { FakePullRequest, FakeRepository, FakeUser } from './model.ts';

export type { FakePullRequest, FakeRepository, FakeUser };

/** What a test may say about a pull request it opens; everything has a sensible default. */
export interface OpenPullRequestOptions {
  /** Head branch. @default `feature/<number>` */
  head?: string;
  /** Base branch. @default the repository's default branch */
  base?: string;
  /** @default `Pull request <number>` */
  title?: string;
  /** @default null */
  body?: string | null;
  /** @default [] */
  labels?: string[];
  /** @default false */
  draft?: boolean;
  /** Login of the author. @default `dev-<number mod 7>` */
  author?: string;
  /** Open it from a fork owned by this login instead of from a branch of the repository itself. @default none */
  fromForkOf?: string;
  /** Head commit. @default a hash of the branch and a counter */
  headSha?: string;
  /** The number, for a test of an unusual one (GitHub's are 32-bit). @default the next one of the repository */
  number?: number;
}

/** Changes a test (or PATCH /pulls/{number}) makes to a pull request. */
export interface UpdatePullRequestOptions {
  title?: string;
  body?: string | null;
  draft?: boolean;
  base?: string;
  state?: 'open' | 'closed';
  maintainerCanModify?: boolean;
}

export class FakeGitHubState {
  private readonly repositories = new Map<string, FakeRepository>();
  private readonly users = new Map<string, FakeUser>();
  private nextId = 1000;
  private commits = 0;
  private clockOffsetMs = 0;
  private changes = 0;

  private readonly host = {
    now: () => this.now(),
    nextId: () => this.nextId++,
    touch: () => {
      this.changes += 1;
    },
  };
  /** Deployments and their statuses, every repository's. */
  readonly deployments = new FakeDeployments(this.host);
  /** Comments on issues and pull requests, every repository's. */
  readonly comments = new FakeIssueComments(this.host);

  /** Goes up with every change to repositories or pull requests, so rendered answers can be reused until then. */
  get version(): number {
    return this.changes;
  }

  /** @param epoch the fake's time when it starts. @default 2025-01-01T00:00:00Z */
  constructor(private readonly epoch = new Date('2025-01-01T00:00:00Z')) {}

  /** The fake's current time: the epoch plus real time elapsed is not used; time moves only when told. */
  now(): Date {
    return new Date(this.epoch.getTime() + this.clockOffsetMs);
  }

  /** Moves the fake's clock forward (timestamps of later changes follow it). */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  user(login: string): FakeUser {
    let user = this.users.get(login.toLowerCase());
    if (!user) {
      user = { login, id: this.nextId++, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
      this.users.set(login.toLowerCase(), user);
    }
    return user;
  }

  /** Creates `owner/name` (idempotent). */
  createRepository(fullName: string, options: { defaultBranch?: string; private?: boolean; forkOf?: FakeRepository } = {}): FakeRepository {
    const existing = this.repository(fullName);
    if (existing) return existing;
    const [ownerLogin, name] = splitFullName(fullName);
    const repository: FakeRepository = {
      id: this.nextId++,
      owner: this.user(ownerLogin),
      name,
      fullName: `${ownerLogin}/${name}`,
      defaultBranch: options.defaultBranch ?? 'main',
      private: options.private ?? false,
      createdAt: this.now(),
      forkOf: options.forkOf,
      pulls: new Map(),
      headOf: (branch) => sha(`${fullName}:${branch}`),
    };
    this.repositories.set(fullName.toLowerCase(), repository);
    this.changes += 1;
    return repository;
  }

  /** The repository named `owner/name` (case-insensitive, like GitHub), or undefined. */
  repository(fullName: string): FakeRepository | undefined {
    return this.repositories.get(fullName.toLowerCase());
  }

  repositoryById(id: number): FakeRepository | undefined {
    return [...this.repositories.values()].find((r) => r.id === id);
  }

  private requireRepository(fullName: string): FakeRepository {
    const repository = this.repository(fullName);
    if (!repository) throw new Error(`fake GitHub: no repository ${fullName}`);
    return repository;
  }

  pull(fullName: string, number: number): FakePullRequest {
    const pull = this.requireRepository(fullName).pulls.get(number);
    if (!pull) throw new Error(`fake GitHub: no pull request ${fullName}#${number}`);
    return pull;
  }

  /** Opens a pull request and returns it; numbers count up from 1 per repository, like GitHub's. */
  openPullRequest(fullName: string, options: OpenPullRequestOptions = {}): FakePullRequest {
    const base = this.requireRepository(fullName);
    const number = options.number ?? base.pulls.size + 1;
    const headRef = options.head ?? `feature/${number}`;
    const headRepository = options.fromForkOf ? this.createRepository(`${options.fromForkOf}/${base.name}`, { forkOf: base }) : base;
    const now = this.now();
    const pull: FakePullRequest = {
      number,
      id: this.nextId++,
      title: options.title ?? `Pull request ${number}`,
      body: options.body ?? null,
      state: 'open',
      draft: options.draft ?? false,
      headRef,
      headSha: options.headSha ?? sha(`${headRef}:${this.commits++}`),
      headRepository,
      baseRef: options.base ?? base.defaultBranch,
      author: this.user(options.author ?? `dev-${number % 7}`),
      labels: [...(options.labels ?? [])],
      maintainerCanModify: false,
      createdAt: now,
      updatedAt: now,
      closedAt: undefined,
      mergedAt: undefined,
    };
    (base.pulls as Map<number, FakePullRequest>).set(number, pull);
    this.changes += 1;
    return pull;
  }

  updatePullRequest(fullName: string, number: number, changes: UpdatePullRequestOptions): FakePullRequest {
    const pull = this.pull(fullName, number);
    if (changes.title !== undefined) pull.title = changes.title;
    if (changes.body !== undefined) pull.body = changes.body;
    if (changes.draft !== undefined) pull.draft = changes.draft;
    if (changes.base !== undefined) pull.baseRef = changes.base;
    if (changes.maintainerCanModify !== undefined) pull.maintainerCanModify = changes.maintainerCanModify;
    if (changes.state !== undefined && changes.state !== pull.state) {
      pull.state = changes.state;
      pull.closedAt = changes.state === 'closed' ? this.now() : undefined;
    }
    pull.updatedAt = this.now();
    this.changes += 1;
    return pull;
  }

  /** Removes every pull request of a repository, as if it had none (numbering starts again at 1). */
  clearPullRequests(fullName: string): void {
    (this.requireRepository(fullName).pulls as Map<number, FakePullRequest>).clear();
    this.changes += 1;
  }

  closePullRequest(fullName: string, number: number): FakePullRequest {
    return this.updatePullRequest(fullName, number, { state: 'closed' });
  }

  reopenPullRequest(fullName: string, number: number): FakePullRequest {
    return this.updatePullRequest(fullName, number, { state: 'open' });
  }

  mergePullRequest(fullName: string, number: number): FakePullRequest {
    const pull = this.closePullRequest(fullName, number);
    pull.mergedAt = pull.closedAt;
    this.changes += 1;
    return pull;
  }

  addLabels(fullName: string, number: number, ...labels: string[]): FakePullRequest {
    const pull = this.pull(fullName, number);
    pull.labels = [...new Set([...pull.labels, ...labels])];
    pull.updatedAt = this.now();
    this.changes += 1;
    return pull;
  }

  removeLabel(fullName: string, number: number, label: string): FakePullRequest {
    const pull = this.pull(fullName, number);
    pull.labels = pull.labels.filter((l) => l !== label);
    pull.updatedAt = this.now();
    this.changes += 1;
    return pull;
  }

  /** A new commit on the head branch: new head SHA, new `updated_at`. */
  pushCommit(fullName: string, number: number): FakePullRequest {
    const pull = this.pull(fullName, number);
    pull.headSha = sha(`${pull.headRef}:${this.commits++}`);
    pull.updatedAt = this.now();
    this.changes += 1;
    return pull;
  }
}

function splitFullName(fullName: string): [string, string] {
  const [owner, name, ...rest] = fullName.split('/');
  if (!owner || !name || rest.length > 0) throw new Error(`fake GitHub: "${fullName}" is not owner/name`);
  return [owner, name];
}

function sha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}
