/**
 * What an environment ran, from the git history of its overlay's kustomization.yaml: each time the pin of an
 * image changed on the branch Argo CD deploys, newest first. The branch's first-parent line is what was
 * deployed (a pull request's own commits never ran; its merge did), so that is the line read.
 */
import type { Git } from './git.ts';
import { readImagePins, type ImageReference } from './image-pins.ts';

export interface PinChange {
  /** Image name, as in the `images:` entry. */
  readonly image: string;
  readonly reference: ImageReference;
  /** The commit that set this pin (on the first-parent line). */
  readonly commit: string;
  /** When that commit was made (for a merge: when the pull request was merged). */
  readonly date: Date;
  readonly subject: string;
  /** True for the pin the file still holds at the revision read. */
  readonly current: boolean;
}

/** Every pin change of `file` (path from the repository root) up to `revision`, newest first. */
export async function readPinHistory(git: Git, revision: string, file: string): Promise<PinChange[]> {
  const log = await git.run(['log', '--first-parent', '--format=%H%x1f%ct%x1f%s', revision, '--', file]);
  const commits = log
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit, seconds, subject] = line.split('\x1f') as [string, string, string];
      return { commit, date: new Date(Number(seconds) * 1000), subject };
    })
    .reverse();
  const texts = await git.readObjects(commits.map(({ commit }) => `${commit}:${file}`));

  // One group per commit, oldest first; an entry within a commit keeps the file's order of images.
  const changesPerCommit: Array<Array<Omit<PinChange, 'current'>>> = [];
  let previous = new Map<string, ImageReference>();
  commits.forEach((commit, index) => {
    const text = texts[index];
    let pins: Map<string, ImageReference>;
    try {
      pins = text === undefined ? new Map() : readImagePins(text, `${file} at ${commit.commit.slice(0, 12)}`);
    } catch {
      return; // A version that did not parse deployed nothing new (Argo CD could not render it either).
    }
    const changes: Array<Omit<PinChange, 'current'>> = [];
    for (const [image, reference] of pins) {
      if (!sameReference(previous.get(image), reference)) changes.push({ image, reference, ...commit });
    }
    changesPerCommit.push(changes);
    previous = pins;
  });
  // Newest first, the first change of an image is the one in force (if the file still pins it).
  const seen = new Set<string>();
  return changesPerCommit
    .reverse()
    .flat()
    .map((change) => {
      const latest = !seen.has(change.image);
      seen.add(change.image);
      return { ...change, current: latest && sameReference(previous.get(change.image), change.reference) };
    });
}

export function sameReference(a: ImageReference | undefined, b: ImageReference | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return 'digest' in a ? 'digest' in b && a.digest === b.digest : 'tag' in b && a.tag === b.tag;
}
