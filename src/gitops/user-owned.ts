/**
 * The user's own folder in each overlay, `overlays/<env>/extra/` (the escape hatch's resources): synthesis lists
 * what it holds in the overlay's kustomization.yaml and never writes, changes or deletes anything in it.
 */
import path from 'node:path';

/** Name of the user's folder inside an overlay folder. */
export const USER_FOLDER = 'extra';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
const USER_PATH = new RegExp(`^overlays/[^/]+/${USER_FOLDER}/`);

/** Whether a path of the tree (relative to gitops/, with "/") is in a user's folder, which synthesis leaves alone. */
export function isUserOwned(relative: string): boolean {
  return USER_PATH.test(relative);
}

/**
 * What the kustomization.yaml of `directory` lists from its user folder, given every path of the tree: the folder
 * itself when it holds a kustomization of its own (the user then decides what is in it), else each of its YAML
 * files, sorted. Empty for folders other than overlays.
 */
export function userResources(paths: Iterable<string>, directory: string): string[] {
  const prefix = `${directory}/${USER_FOLDER}/`;
  if (!isUserOwned(prefix)) return [];
  const inFolder = [...paths].filter((file) => file.startsWith(prefix)).map((file) => file.slice(directory.length + 1));
  if (inFolder.some((file) => KUSTOMIZATION_NAMES.has(file.slice(USER_FOLDER.length + 1)))) return [USER_FOLDER];
  return inFolder.filter((file) => /\.ya?ml$/.test(path.posix.basename(file))).sort();
}
