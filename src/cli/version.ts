/** The version `dynenv --version` prints: the one in the package.json of the installed package. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest package.json above this module. Compiled (dist/src/cli) or bundled (dist/cli), this code sits at
 * another depth than in the sources (src/cli), so the file is searched for rather than addressed.
 */
export function packageVersion(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof manifest.version === 'string') return manifest.version;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (path.dirname(directory) === directory) return 'unknown';
  }
}
