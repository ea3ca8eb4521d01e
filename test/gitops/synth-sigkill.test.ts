/**
 * Crash-safety of `dynenv synth`: the real command, killed with SIGKILL at random moments of its writes (aimed by
 * watching the tree for its first change, then waiting a random part of the time its writes took in a full run),
 * between two configurations that change almost every file of the tree and add or remove a service's folder.
 * Whatever the moment, every file on disk is byte for byte its old or its new version, never a mix, a truncation
 * or an empty file; and the next run succeeds, leaving exactly the new tree, no staged leftover and no empty folder.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { synthesize } from '../../src/gitops/synthesize.ts';
import { readTree, STAGING_PREFIX } from '../../src/gitops/write.ts';
import { directoriesUnder, runAndKill } from '../support/sigkill.ts';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';

const KILLS = Number(process.env.DYNENV_CRASH_RUNS ?? 8);

/** The example, and a variant that renames the app (every file's labels change) and drops the worker service. */
async function twoConfigurations(dir: string): Promise<{ a: string; b: string }> {
  const a = path.join(dir, 'a.yaml');
  const b = path.join(dir, 'b.yaml');
  const example = await readFile(path.join(REPO_ROOT, 'dynenv.yaml'), 'utf8');
  await writeFile(a, example);
  const variant = parseDocument(example);
  variant.set('app', 'shop');
  const services = variant.get('services') as { items: Array<{ get(key: string): unknown }> };
  services.items = services.items.filter((service) => service.get('name') !== 'worker');
  for (const environment of ['staging', 'prod']) variant.deleteIn(['environments', environment, 'services', 'worker']);
  await writeFile(b, variant.toString());
  return { a, b };
}

/** Every file under `root` with its bytes, staged leftovers included (readTree leaves them out). */
async function filesOnDisk(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(root, file).split(path.sep).join('/'), await readFile(file, 'utf8'));
    }
  }
  return files;
}

async function emptyFolders(root: string): Promise<string[]> {
  const empty: string[] = [];
  for (const folder of await directoriesUnder(root)) if ((await readdir(folder)).length === 0) empty.push(folder);
  return empty;
}

type Landing = 'before its writes' | 'mid-write' | 'after its writes';

describe('dynenv synth killed with SIGKILL during its writes', () => {
  it(`leaves every file old or new, and the next run finishes the job (${KILLS} kills)`, async () => {
    const dir = await tempDir('dynenv-synth-kill-');
    const { a, b } = await twoConfigurations(dir);
    // The two full versions of the tree, each synthesized over the other (image pins carry forward).
    const out = path.join(dir, 'gitops');
    await synthesize({ configFile: a, outDir: out });
    const treeA = await readTree(out);
    await synthesize({ configFile: b, outDir: out });
    const treeB = await readTree(out);
    await synthesize({ configFile: a, outDir: out });
    expect(await readTree(out)).toEqual(treeA);
    const changed = [...treeA.keys()].filter((file) => treeB.has(file) && treeA.get(file) !== treeB.get(file));
    expect(changed.length).toBeGreaterThan(80);
    expect([...treeA.keys()].filter((file) => !treeB.has(file)).length).toBeGreaterThan(3);

    // How long its writes take: from the first change in the tree to the last.
    const full = await runAndKill(dir, ['synth', '--config', b, '--out', 'gitops'], { watch: [out], delayMs: Number.POSITIVE_INFINITY });
    expect(full.exitCode).toBe(0);
    expect(await readTree(out)).toEqual(treeB);
    const writeWindowMs = full.lastChangeMs! - full.firstChangeMs!;

    const landings: Record<Landing, number> = { 'before its writes': 0, 'mid-write': 0, 'after its writes': 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      // Alternate directions, so that both adding and removing a service's folder are cut short.
      const [oldTree, newTree, config] = kill % 2 === 0 ? [treeB, treeA, a] : [treeA, treeB, b];
      const run = await runAndKill(dir, ['synth', '--config', config, '--out', 'gitops'], {
        watch: [out],
        delayMs: Math.random() * writeWindowMs * 1.1,
      });
      const onDisk = await filesOnDisk(out);
      const staged = [...onDisk.keys()].filter((file) => path.posix.basename(file).startsWith(STAGING_PREFIX));
      for (const [file, text] of onDisk) {
        if (staged.includes(file)) continue;
        expect([oldTree.get(file), newTree.get(file)], `${file} after kill ${kill}`).toContain(text);
      }
      // A file both versions have is replaced, never deleted first.
      for (const file of oldTree.keys()) if (newTree.has(file)) expect(onDisk.has(file), `${file} after kill ${kill}`).toBe(true);
      const state = new Map([...onDisk].filter(([file]) => !staged.includes(file)));
      const untouched = staged.length === 0 && sameFiles(state, oldTree);
      const finished = sameFiles(state, newTree);
      landings[!run.killed || (finished && staged.length === 0) ? 'after its writes' : untouched ? 'before its writes' : 'mid-write'] += 1;

      // The next run completes the change and tidies up after the killed one.
      await synthesize({ configFile: config, outDir: out });
      expect(await filesOnDisk(out)).toEqual(newTree);
      expect(await emptyFolders(out)).toEqual([]);
    }
    console.info(`synth-sigkill.test.ts: write window ${writeWindowMs.toFixed(0)} ms; kills landed ${JSON.stringify(landings)}`);
    // The kills did land inside the writes, not only around them.
    expect(landings['mid-write']).toBeGreaterThan(0);
  });
});

function sameFiles(actual: ReadonlyMap<string, string>, expected: ReadonlyMap<string, string>): boolean {
  return actual.size === expected.size && [...expected].every(([file, text]) => actual.get(file) === text);
}
