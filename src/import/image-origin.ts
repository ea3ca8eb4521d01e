/**
 * Which images the imported application builds itself (`builtHere: true`: previews follow the pull request, the
 * environments pin them by digest) and which are third-party (run as written everywhere). Manifests do not say;
 * the import reads the images as a release manifest writes them: the application's own images share a registry
 * folder (`us-central1-docker.pkg.dev/<project>/microservices-demo/...`), a third-party one stands alone (`redis`).
 */
import { isDockerHubOfficial, parseImageReference, type ImageReference } from '../config/image-reference.ts';

/** The registry folder of an image: its repository without the last component. */
function folderOf(repository: string): string {
  return repository.slice(0, repository.lastIndexOf('/'));
}

/** The registry folders that hold two or more distinct repositories of `images`: the application's own. */
export function applicationFolders(images: readonly string[]): Set<string> {
  const repositories = new Map<string, Set<string>>();
  for (const image of images) {
    const parsed = parseImageReference(image);
    if ('problem' in parsed || isDockerHubOfficial(parsed.repository)) continue;
    const folder = folderOf(parsed.repository);
    if (!repositories.has(folder)) repositories.set(folder, new Set());
    repositories.get(folder)!.add(parsed.repository);
  }
  return new Set([...repositories].filter(([, names]) => names.size >= 2).map(([folder]) => folder));
}

export interface ImageDecision {
  /** `image` as dynenv.yaml writes it. */
  readonly image: string;
  readonly builtHere: boolean;
  /** For a built image pinned by digest upstream: the digest, which the environments pin. */
  readonly digest?: string;
  readonly note?: string;
}

/** How one container's image is written; throws nothing: a reference dynenv cannot read is returned as a note. */
export function decideImage(image: string, folders: ReadonlySet<string>): ImageDecision | { readonly problem: string } {
  const parsed = parseImageReference(image);
  if ('problem' in parsed) return { problem: `image ${JSON.stringify(image)}: ${parsed.problem}` };
  const builtHere = !isDockerHubOfficial(parsed.repository) && folders.has(folderOf(parsed.repository));
  const unpinned = parsed.tag === undefined && parsed.digest === undefined;
  if (unpinned) {
    return {
      image: `${image}:latest`,
      builtHere: false,
      note: `image ${image} has no tag: written as ${image}:latest (what Kubernetes runs); pin a tag or digest`,
    };
  }
  if (builtHere && parsed.digest !== undefined) {
    const withoutDigest: ImageReference = { repository: parsed.repository, ...(parsed.tag !== undefined && { tag: parsed.tag }) };
    return { image: formatShort(image, withoutDigest), builtHere, digest: parsed.digest };
  }
  return { image, builtHere };
}

function formatShort(original: string, reference: ImageReference): string {
  const at = original.indexOf('@');
  return at >= 0 ? original.slice(0, at) : `${reference.repository}${reference.tag ? `:${reference.tag}` : ''}`;
}
