/**
 * Argo CD's AppProject check, as its code runs it (argo-cd v3.3+, pkg/apis/application/v1alpha1:
 * AppProject.IsSourcePermitted, IsDestinationPermitted, IsGroupKindNamePermitted with isResourceInList and
 * isNamedResourceInList; controller/sync.go validateSyncPermissions, whose messages are reproduced):
 *
 * - namespaced kinds: a whitelist that is absent (nil) admits every kind, an empty one none; entries match group
 *   and kind with Go's filepath.Match; a blacklist entry refuses;
 * - cluster-scoped kinds: admitted only when the whitelist has an entry matching group, kind and, where the entry
 *   has one, name (filepath.Match globs);
 * - destinations: a namespaced object's namespace must match a destination (gobwas/glob, `!` negates), and so
 *   must the Application's own destination; sources: the normalized repository URL must match a source glob.
 */

type Entry = { group: string; kind: string; name?: string };

export interface AppProjectObject {
  metadata: { name: string };
  spec: {
    sourceRepos?: string[];
    destinations?: Array<{ server?: string; name?: string; namespace?: string }>;
    clusterResourceWhitelist?: Entry[];
    clusterResourceBlacklist?: Entry[];
    namespaceResourceWhitelist?: Entry[];
    namespaceResourceBlacklist?: Entry[];
  };
}

/** Go's path/filepath.Match on a Unix system: `*` and `?` stop at "/", `[...]` classes, `\` escapes. */
export function filepathMatch(pattern: string, name: string): boolean {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index]!;
    if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else if (character === '\\' && index + 1 < pattern.length) source += escapeRegex(pattern[++index]!);
    else if (character === '[') {
      const end = pattern.indexOf(']', index + 2);
      if (end === -1) return false; // ErrBadPattern: Argo CD treats it as no match
      const body = pattern.slice(index + 1, end);
      source += `[${body.startsWith('^') ? `^${body.slice(1)}` : body}]`;
      index = end;
    } else source += escapeRegex(character);
  }
  return new RegExp(`^${source}$`, 's').test(name);
}

/** gobwas/glob without separators, as Argo CD's globMatch uses it: `*` anything, `?` one character, `{a,b}`, `[...]`. */
export function gobwasMatch(pattern: string, value: string): boolean {
  let source = '';
  let alternatives = 0;
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index]!;
    if (character === '*') source += '.*';
    else if (character === '?') source += '.';
    else if (character === '{') {
      source += '(?:';
      alternatives += 1;
    } else if (character === '}' && alternatives > 0) {
      source += ')';
      alternatives -= 1;
    } else if (character === ',' && alternatives > 0) source += '|';
    else if (character === '[') {
      const end = pattern.indexOf(']', index + 2);
      if (end === -1) return false;
      const body = pattern.slice(index + 1, end);
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      index = end;
    } else if (character === '\\' && index + 1 < pattern.length) source += escapeRegex(pattern[++index]!);
    else source += escapeRegex(character);
  }
  return new RegExp(`^${source}$`, 's').test(value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const isDenyPattern = (pattern: string | undefined) => pattern?.startsWith('!') ?? false;

/** Argo CD's globMatch: a `!` pattern matches what the rest does not; "*" matches everything. */
function globMatch(pattern: string | undefined, value: string, allowNegation: boolean): boolean {
  const text = pattern ?? '';
  if (allowNegation && isDenyPattern(text)) return !gobwasMatch(text.slice(1), value);
  if (text === '*') return true;
  return gobwasMatch(text, value);
}

function isResourceInList(group: string, kind: string, list: readonly Entry[]): boolean {
  return list.some((item) => filepathMatch(item.kind, kind) && filepathMatch(item.group, group));
}

function isNamedResourceInList(group: string, kind: string, name: string, list: readonly Entry[]): boolean {
  return list.some(
    (item) =>
      filepathMatch(item.kind, kind) && filepathMatch(item.group, group) && (item.name === undefined || item.name === '' || filepathMatch(item.name, name)),
  );
}

/** AppProject.IsGroupKindNamePermitted. */
export function isGroupKindNamePermitted(project: AppProjectObject, group: string, kind: string, name: string, namespaced: boolean): boolean {
  const { spec } = project;
  if (namespaced) {
    const whitelist = spec.namespaceResourceWhitelist;
    const blacklist = spec.namespaceResourceBlacklist ?? [];
    const whitelisted = whitelist === undefined || (whitelist.length !== 0 && isResourceInList(group, kind, whitelist));
    return whitelisted && !(blacklist.length !== 0 && isResourceInList(group, kind, blacklist));
  }
  const whitelist = spec.clusterResourceWhitelist ?? [];
  const blacklist = spec.clusterResourceBlacklist ?? [];
  const whitelisted = whitelist.length !== 0 && isNamedResourceInList(group, kind, name, whitelist);
  return whitelisted && !(blacklist.length !== 0 && isNamedResourceInList(group, kind, name, blacklist));
}

/** AppProject.IsDestinationPermitted (isDestinationMatched), for a cluster known by its server URL. */
export function isDestinationPermitted(project: AppProjectObject, server: string, namespace: string): boolean {
  let matchedAny = false;
  for (const item of project.spec.destinations ?? []) {
    const serverMatched = server !== '' && globMatch(item.server, server, true);
    const namespaceMatched = globMatch(item.namespace, namespace, true);
    if (serverMatched && namespaceMatched) matchedAny = true;
    else if (isDenyPattern(item.name) || (!serverMatched && isDenyPattern(item.server) && namespaceMatched)) return false;
    else if (!namespaceMatched && isDenyPattern(item.namespace) && serverMatched) return false;
  }
  return matchedAny;
}

/** util/git.NormalizeGitURL for https and scp-like ssh URLs. */
export function normalizeGitUrl(url: string): string {
  let repo = url.trim().toLowerCase();
  if (/^[a-z0-9_.-]+@[^:/]+:/.test(repo)) repo = `ssh://${repo.replace(':', '/')}`;
  repo = repo.replace(/\.git$/, '');
  return repo.replace(/^ssh:\/\//, '');
}

/** AppProject.IsSourcePermitted. */
export function isSourcePermitted(project: AppProjectObject, repoURL: string): boolean {
  const source = normalizeGitUrl(repoURL);
  let matchedAny = false;
  for (const repo of project.spec.sourceRepos ?? []) {
    const normalized = isDenyPattern(repo) ? `!${normalizeGitUrl(repo.slice(1))}` : normalizeGitUrl(repo);
    if (globMatch(normalized, source, true)) matchedAny = true;
    else if (isDenyPattern(normalized)) return false;
  }
  return matchedAny;
}

/** An object as Argo CD is about to apply it, with what the cluster's discovery says about its kind. */
export interface ObjectToSync {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** controller/sync.go validateSyncPermissions: the error that fails the sync, or undefined when permitted. */
export function syncPermissionError(project: AppProjectObject, server: string, object: ObjectToSync, namespaced: boolean): string | undefined {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
  if (!isGroupKindNamePermitted(project, group, object.kind, object.metadata.name, namespaced)) {
    return `resource ${group}:${object.kind} is not permitted in project ${project.metadata.name}`;
  }
  if (namespaced && !isDestinationPermitted(project, server, object.metadata.namespace ?? '')) {
    return `namespace ${object.metadata.namespace ?? ''} is not permitted in project '${project.metadata.name}'`;
  }
  return undefined;
}
