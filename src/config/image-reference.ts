/**
 * Container image references as dynenv.yaml may write them, parsed and normalised the way the container runtime
 * reads them: `redis:7` is `docker.io/library/redis:7`, `bitnami/redis` is `docker.io/bitnami/redis`. The grammar
 * is the distribution project's reference grammar (domain, path components, tag, digest), restricted to sha256
 * digests, which is all the registries dynenv pins by digest support.
 */

/** A reference split into its parts; `repository` includes the registry (`docker.io/library/redis`). */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DOCKER_HUB = 'docker.io';
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The parsed reference, or a message saying what is wrong with it (for the schema to report). */
export function parseImageReference(text: string): ImageReference | { readonly problem: string } {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { problem: 'expected the digest after "@" to be "sha256:" and 64 lower-case hex digits' };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { problem: `expected a tag of letters, digits, "_", "." and "-" after ":", got ${JSON.stringify(tag)}` };
  }
  const components = rest.split('/');
  // The first component is a registry when it looks like a host: it has a dot or a port, or is localhost.
  const first = components[0]!;
  const hasDomain = components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const domain = hasDomain ? first : DOCKER_HUB;
  const path = hasDomain ? components.slice(1) : components;
  if (hasDomain && !DOMAIN.test(domain)) return { problem: `expected a registry host such as "ghcr.io", got ${JSON.stringify(domain)}` };
  if (path.length === 0 || path.some((component) => component === '')) return { problem: 'expected an image name such as "ghcr.io/acme/api"' };
  const invalid = path.find((component) => !PATH_COMPONENT.test(component));
  if (invalid !== undefined) {
    const lower = invalid.toLowerCase();
    const hint = PATH_COMPONENT.test(lower) ? ` (image names are lower-case: "${lower}")` : '';
    return { problem: `expected lower-case letters, digits and single ".", "_" or "-" between them in ${JSON.stringify(invalid)}${hint}` };
  }
  const normalisedDomain = domain === 'index.docker.io' ? DOCKER_HUB : domain;
  const normalisedPath = normalisedDomain === DOCKER_HUB && path.length === 1 ? ['library', ...path] : path;
  return { repository: `${normalisedDomain}/${normalisedPath.join('/')}`, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** `repository[:tag][@digest]`. */
export function formatImageReference(reference: ImageReference): string {
  return `${reference.repository}${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest !== undefined ? `@${reference.digest}` : ''}`;
}

/** Whether the repository is a Docker Hub official image (`docker.io/library/...`), which no application builds. */
export function isDockerHubOfficial(repository: string): boolean {
  return repository.startsWith(`${DOCKER_HUB}/library/`);
}

/** The shortest way to write `repository` that the runtime reads the same (`docker.io/library/redis` → `redis`). */
export function shortImageName(repository: string): string {
  if (isDockerHubOfficial(repository)) return repository.slice(`${DOCKER_HUB}/library/`.length);
  return repository.startsWith(`${DOCKER_HUB}/`) ? repository.slice(`${DOCKER_HUB}/`.length) : repository;
}

/** An image as a workload runs it: its parts, and whether this repository builds it (then environments pin it). */
export interface ResolvedImage extends ImageReference {
  readonly builtHere: boolean;
  /** What the base manifests hold: the repository with the tag given in dynenv.yaml, if any (no digest for built images). */
  readonly reference: string;
}

/**
 * `image` (already normalised by the schema) with `builtHere` resolved: by default an image is built here when it
 * has neither tag nor digest (the environments pin it), and third-party otherwise (it runs as written everywhere).
 */
export function resolveImage(image: string, builtHere: boolean | undefined): ResolvedImage {
  const parsed = parseImageReference(image);
  if ('problem' in parsed) throw new Error(`unvalidated image reference ${image}: ${parsed.problem}`);
  const built = builtHere ?? (parsed.tag === undefined && parsed.digest === undefined);
  return { ...parsed, builtHere: built, reference: built ? formatImageReference({ repository: parsed.repository, tag: parsed.tag }) : image };
}
