// Whether dist/ is what `npm run build` would make of this checkout now: the stamp the build writes last is newer
// than every TypeScript source, than the bundler and than the installed packages (the bundle holds copies of the
// generator's: an `npm install` of a new yaml runs no build). One rule for the two places that ask:
// bin/dynenv.js (in a checkout, a stale dist/ runs the sources instead) and the tests' global setup (a fresh
// dist/ is not built again).
import { existsSync, readdirSync, statSync } from 'node:fs';

/** Whether the build in `root` (a URL of the checkout's folder, ending in "/") is current. */
export function compiledIsCurrent(root) {
  const stamp = statOrUndefined(new URL('dist/.build-stamp', root));
  if (!stamp || !existsSync(new URL('dist/cli/cli.js', root))) return false;
  for (const file of ['package-lock.json', 'tools/bundle-cli.mjs']) {
    if ((statOrUndefined(new URL(file, root))?.mtimeMs ?? 0) > stamp.mtimeMs) return false;
  }
  for (const folder of ['contract', 'src', 'plugin-server']) {
    for (const entry of readdirSync(new URL(folder, root), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts') && statSync(`${entry.parentPath}/${entry.name}`).mtimeMs > stamp.mtimeMs) return false;
    }
  }
  return true;
}

function statOrUndefined(url) {
  try {
    return statSync(url);
  } catch {
    return undefined;
  }
}
