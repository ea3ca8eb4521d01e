/**
 * Crash-safety of `dynenv synth`: the real command, killed with SIGKILL in the middle of its writes: each kill is
 * aimed at the k-th change it makes to the tree (seen through inotify), k drawn from a seed within one slice of
 * the changes a full run makes (the kills spread over the whole write window, whatever the machine's load),
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
import { aimedEvent, CRASH_RUNS, crashDraws } from '../support/crash-seed.ts';
import { directoriesUnder, runAndKill } from '../support/sigkill.ts';
import { REPO_ROOT, tempDir } from '../support/workspace.ts';

const KILLS = CRASH_RUNS;

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
  // The timeout only guards against a hang: each kill is a real `dynenv` process and a synthesis.
  it(`leaves every file old or new, and the next run finishes the job (${KILLS} kills)`, { timeout: 300_000 }, async () => {
    const dir = await tempDir('dynenv-synth-kill-');
    const { a, b } = await twoConfigurations(dir);
    // The two full versions of the tree, each synthesized over the other (image pins carry forward).
    const out = path.join(dir, 'gitops');
    await synthesize({ configFile: a, outDir: out });
    const treeA = await readTree(out);
    await synthesize({ configFile: b, outDir: out });
    const treeB = await readTree(out);
    const changed = [...treeA.keys()].filter((file) => treeB.has(file) && treeA.get(file) !== treeB.get(file));
    expect(changed.length).toBeGreaterThan(80);
    expect([...treeA.keys()].filter((file) => !treeB.has(file)).length).toBeGreaterThan(3);

    // How many changes to the tree a whole run makes, in each direction (the tree ends as B).
    const changes = new Map<string, number>();
    for (const [config, tree] of [[a, treeA], [b, treeB]] as const) {
      const full = await runAndKill(dir, ['synth', '--config', config, '--out', 'gitops'], { watch: [out], killAtEvent: Number.POSITIVE_INFINITY });
      expect({ exitCode: full.exitCode, stderr: full.stderr }).toEqual({ exitCode: 0, stderr: '' });
      expect(await readTree(out)).toEqual(tree);
      expect(full.events.length).toBeGreaterThan(changed.length);
      changes.set(config, full.events.length);
    }
    const draws = crashDraws(KILLS, 'test/gitops/synth-sigkill.test.ts');

    const landings: Record<Landing, number> = { 'before its writes': 0, 'mid-write': 0, 'after its writes': 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      // Alternate directions, so that both adding and removing a service's folder are cut short.
      const [oldTree, newTree, config] = kill % 2 === 0 ? [treeB, treeA, a] : [treeA, treeB, b];
      const total = changes.get(config)!;
      const run = await runAndKill(dir, ['synth', '--config', config, '--out', 'gitops'], {
        watch: [out],
        // Kill k lands in the k-th of KILLS slices of the run's changes.
        killAtEvent: aimedEvent(draws[kill]!, kill, KILLS, 1, total),
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
    console.info(`synth-sigkill.test.ts: a run makes ${[...changes.values()].join(' or ')} changes to the tree; kills landed ${JSON.stringify(landings)}`);
    // The kills did land inside the writes, not only around them.
    expect(landings['mid-write']).toBeGreaterThan(0);
  });
});

function sameFiles(actual: ReadonlyMap<string, string>, expected: ReadonlyMap<string, string>): boolean {
  return actual.size === expected.size && [...expected].every(([file, text]) => actual.get(file) === text);
}
