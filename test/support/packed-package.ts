/**
 * The package as a user gets it: the tarball `npm pack` makes of this checkout, installed into a fresh project
 * with `npm ci --offline`, which takes every dependency from the npm cache (filled by this checkout's own
 * `npm ci`), never from the network. The project's lock file is this checkout's lock restricted to the
 * production dependencies: the versions the tests ran with.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEveryFile } from './after-each.ts';
import { REPO_ROOT } from './workspace.ts';

const run = promisify(execFile);

// Shared by the tests of a file (packing takes a while), so removed after all of them rather than after each.
const created: string[] = [];
afterEveryFile(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 5 })));
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** npm without the network: whatever is not in the cache fails (ENOTCACHED) instead of downloading. */
export const OFFLINE_NPM_ENV: Readonly<Record<string, string>> = {
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

export interface PackedPackage {
  readonly tarball: string;
  /** Every path in the tarball, relative to its package folder. */
  readonly files: readonly string[];
  readonly name: string;
  readonly version: string;
}

/**
 * Packs this checkout with `npm pack`. Its scripts are skipped: prepack would delete and rebuild dist/ under the
 * feet of the tests running the CLI meanwhile, and dist/ was just built by the tests' global setup
 * (test/support/build.ts) with the same `npm run build`. CI runs the real prepack (`npm pack --dry-run`).
 */
export async function packCheckout(): Promise<PackedPackage> {
  const destination = await tempDir('dynenv-pack-');
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...OFFLINE_NPM_ENV },
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(packed.stdout) as Array<{ filename: string; name: string; version: string; files: Array<{ path: string }> }>;
  return {
    tarball: path.join(destination, result!.filename),
    files: result!.files.map((file) => file.path).sort(),
    name: result!.name,
    version: result!.version,
  };
}

/**
 * A fresh git repository outside this checkout with the tarball installed as a dev dependency, as the README
 * tells users to (`npm install --save-dev`), by `npm ci --offline`.
 */
export async function installIntoFreshProject(packed: PackedPackage): Promise<string> {
  const project = await tempDir('dynenv-user-repo-');
  await run('git', ['init', '--quiet', '--initial-branch=main'], { cwd: project });
  // As in any Node.js repository: without it `git add -A` stages node_modules/, and committing thousands of loose
  // objects starts a detached `git gc --auto` that is still writing into .git/ when the folder is removed.
  await writeFile(path.join(project, '.gitignore'), 'node_modules/\nvendor/\n');
  const tarball = path.join(project, 'vendor', path.basename(packed.tarball));
  await mkdir(path.dirname(tarball));
  await cp(packed.tarball, tarball);
  const spec = `file:vendor/${path.basename(tarball)}`;
  const manifest = { name: 'user-app', version: '1.0.0', private: true, devDependencies: { [packed.name]: spec } };
  await writeFile(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(project, 'package-lock.json'), `${JSON.stringify(await lockFor(manifest, packed, spec, tarball), null, 2)}\n`);
  await run('npm', ['ci'], { cwd: project, env: { ...process.env, ...OFFLINE_NPM_ENV }, maxBuffer: 64 * 1024 * 1024 });
  return project;
}

type LockEntry = Record<string, unknown> & { dev?: boolean; devOptional?: boolean };

/** The project's lock: the tarball, then this checkout's production entries (dev ones left out), all as dev dependencies. */
async function lockFor(
  manifest: { name: string; version: string; devDependencies: Record<string, string> },
  packed: PackedPackage,
  spec: string,
  tarball: string,
) {
  const ours = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const root = ours.packages['']! as LockEntry & { dependencies: Record<string, string>; bin: unknown; engines: unknown; license: unknown };
  const integrity = `sha512-${createHash('sha512')
    .update(await readFile(tarball))
    .digest('base64')}`;
  const packages: Record<string, LockEntry> = {
    '': { name: manifest.name, version: manifest.version, devDependencies: manifest.devDependencies },
    [`node_modules/${packed.name}`]: {
      version: packed.version,
      resolved: spec,
      integrity,
      dev: true,
      license: root.license,
      dependencies: root.dependencies,
      bin: root.bin,
      engines: root.engines,
    },
  };
  for (const [location, entry] of Object.entries(ours.packages)) {
    if (location === '' || entry.dev || entry.devOptional) continue;
    packages[location] = { ...entry, dev: true };
  }
  return { name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages };
}
