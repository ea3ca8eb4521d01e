/**
 * The bundled command (tools/bundle-cli.mjs, built by vitest's global setup): redistributing third-party code
 * requires carrying its licence, so every package whose code esbuild put into dist/cli/ has its licence text in
 * dist/cli/THIRD-PARTY-LICENSES.txt, which the published package holds.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/workspace.ts';

interface Metafile {
  readonly inputs: Record<string, unknown>;
}

/** name → folder of every package esbuild read a file of. */
async function bundledPackages(): Promise<Map<string, string>> {
  const meta = JSON.parse(await readFile(path.join(REPO_ROOT, 'dist/cli-meta.json'), 'utf8')) as Metafile;
  const packages = new Map<string, string>();
  for (const input of Object.keys(meta.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (match) packages.set(match[2]!, match[1]!);
  }
  return packages;
}

describe('the bundled command', () => {
  it("carries the licence of every package it bundles, and bundles the generator's packages only", async () => {
    const packages = await bundledPackages();
    const licences = await readFile(path.join(REPO_ROOT, 'dist/cli/THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const [name, folder] of packages) {
      const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, folder, 'package.json'), 'utf8')) as { version: string; license: string };
      expect(licences, name).toContain(`${name} ${manifest.version} (${manifest.license})`);
      const licenceFiles = (await readdir(path.join(REPO_ROOT, folder))).filter((file) => /^licen[cs]e/i.test(file));
      expect(licenceFiles, name).not.toEqual([]);
      for (const file of licenceFiles) expect(licences, name).toContain((await readFile(path.join(REPO_ROOT, folder, file), 'utf8')).trim());
    }
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['cdk8s', 'cdk8s-plus-28', 'constructs', 'yaml', 'zod']));
    // The plugin server's packages load from node_modules as installed (pino's transports, Fastify's plugins).
    expect([...packages.keys()].filter((name) => /^(fastify|pino|@octokit\/)/.test(name))).toEqual([]);
  });
});
