/**
 * Repository names and the DYNENV_REPOS allowlist. GitHub treats `owner/name` case-insensitively; the server
 * answers with the spelling the allowlist uses, so `repo` in the parameters is stable however Argo CD spells it.
 */

/** `owner/name` as GitHub allows it: an owner of letters, digits and `-`; a name of letters, digits, `.`, `_`, `-`. */
export const REPOSITORY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

export class RepositoryAllowlist {
  private readonly byLowerCase: ReadonlyMap<string, string>;

  /** @param repositories canonical `owner/name`s (validated by the configuration) */
  constructor(readonly repositories: readonly string[]) {
    this.byLowerCase = new Map(repositories.map((r) => [r.toLowerCase(), r]));
  }

  /** The allowlist's spelling of `name`, or undefined when it is not allowed. */
  canonical(name: string): string | undefined {
    return this.byLowerCase.get(name.toLowerCase());
  }

  /** The one repository, when the allowlist has exactly one (then `repo` may be omitted). */
  get only(): string | undefined {
    return this.repositories.length === 1 ? this.repositories[0] : undefined;
  }
}

/** `[owner, name]` of an `owner/name` that matched {@link REPOSITORY_NAME}. */
export function splitRepositoryName(fullName: string): [owner: string, name: string] {
  const slash = fullName.indexOf('/');
  return [fullName.slice(0, slash), fullName.slice(slash + 1)];
}
