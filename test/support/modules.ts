/** Which modules a `dynenv` process loads, recorded by module-recorder.mjs, for the tests of lazy loading. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpawnOptions } from 'node:child_process';
import { tempDir, REPO_ROOT } from './workspace.ts';

const RECORDER = path.join(import.meta.dirname, 'module-recorder.mjs');

/** esbuild's account of the bundled CLI (tools/bundle-cli.mjs): which source files each chunk of dist/cli holds. */
const BUNDLE_META = path.join(REPO_ROOT, 'dist/cli-meta.json');

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

/** The npm package a file belongs to (`@scope/name` or `name`), from its path; undefined for the project's own. */
function packageOfPath(file: string): string | undefined {
  return /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
}

export class LoadedModules {
  constructor(readonly urls: readonly string[]) {}

  /**
   * The npm packages loaded, by name (`@scope/name` or `name`), sorted: those loaded from node_modules and those
   * whose code is inside a chunk of the bundled CLI that was loaded.
   */
  packages(): string[] {
    const names = new Set<string>();
    for (const url of this.urls) {
      const loadedFromNodeModules = packageOfPath(url);
      if (loadedFromNodeModules) names.add(loadedFromNodeModules);
      for (const input of this.bundledInputs(url)) {
        const bundled = packageOfPath(input);
        if (bundled) names.add(bundled);
      }
    }
    return [...names].sort();
  }

  /**
   * The project's own source files loaded, relative to the repository (`src/commands/synth.run.ts`): compiled
   * modules by their own path, chunks of the bundled CLI by the sources they hold.
   */
  sources(): string[] {
    const sources = new Set<string>();
    for (const url of this.urls) {
      if (!url.startsWith('file:')) continue;
      const file = path.relative(REPO_ROOT, fileURLToPath(url));
      const inputs = this.bundledInputs(url);
      for (const source of inputs.length > 0 ? inputs : [file.replace(/^dist\//, '').replace(/\.js$/, '.ts')]) {
        if (!source.startsWith('..') && packageOfPath(source) === undefined) sources.add(source);
      }
    }
    return [...sources].sort();
  }

  private bundledInputs(url: string): string[] {
    if (!url.startsWith('file:')) return [];
    const output = bundleMeta().outputs[path.relative(REPO_ROOT, fileURLToPath(url))];
    return output ? Object.keys(output.inputs) : [];
  }
}

let meta: { readonly outputs: Record<string, { readonly inputs: Record<string, unknown> }> } | undefined;
function bundleMeta(): NonNullable<typeof meta> {
  meta ??= JSON.parse(readFileSync(BUNDLE_META, 'utf8')) as NonNullable<typeof meta>;
  return meta;
}
