/** Which modules a `dynenv` process loads, recorded by module-recorder.mjs, for the tests of lazy loading. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SpawnOptions } from 'node:child_process';
import { tempDir } from './workspace.ts';

const RECORDER = path.join(import.meta.dirname, 'module-recorder.mjs');

/** Options for spawnDynenv that record the modules loaded, and a function reading them once the process ended. */
export async function recordModules(env: Readonly<Record<string, string | undefined>> = process.env): Promise<{
  readonly options: SpawnOptions & { readonly nodeOptions: readonly string[] };
  readonly loaded: () => Promise<LoadedModules>;
}> {
  const log = path.join(await tempDir('dynenv-modules-'), 'modules.log');
  return {
    options: { nodeOptions: ['--import', RECORDER], env: { ...env, DYNENV_MODULE_LOG: log } },
    loaded: async () => new LoadedModules((await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean)),
  };
}

export class LoadedModules {
  constructor(readonly urls: readonly string[]) {}

  /** The npm packages loaded, by name (`@scope/name` or `name`), sorted. */
  packages(): string[] {
    const names = new Set<string>();
    for (const url of this.urls) {
      const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
      if (match) names.add(match[1]!);
    }
    return [...names].sort();
  }
}
