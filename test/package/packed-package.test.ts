/**
 * The package as users install it: what the tarball holds, and the README's adoption path (install, init, synth,
 * validate, commit) followed in a fresh repository outside this checkout, with the tarball installed offline
 * (test/support/packed-package.ts).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { installIntoFreshProject, OFFLINE_NPM_ENV, packCheckout, type PackedPackage } from '../support/packed-package.ts';
import { REPO_ROOT } from '../support/workspace.ts';

const exec = promisify(execFile);

/** Runs a command in `cwd` offline; its exit code and output. */
async function shell(cwd: string, command: string, args: readonly string[]) {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env: { ...process.env, ...OFFLINE_NPM_ENV }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const TSC = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

/** A user's script: validate the tree through the library, and build the plugin server and ask it for its health. */
const API_USE = `import { clusterFacts, externalObjects, loadConfig, unpinnedImages, validateTree } from '@dynenv/cli';
import { buildServer } from '@dynenv/cli/plugin-server';
const directory: string = 'gitops';
const config = await loadConfig('dynenv.yaml');
// What dynenv validate passes: what the configuration says exists outside the tree, about the cluster, and which
// tags it runs before the first promotion.
const report = await validateTree({ directory, external: externalObjects(config), cluster: clusterFacts(config), unpinnedImages: unpinnedImages(config) });
console.log('report ok: ' + report.ok);
const server = buildServer({ config: { pluginToken: 't', basePath: '', webhookSecret: undefined, repositories: ['acme/shop'] }, pullRequests: { list: async () => { throw new Error('not called'); } } as never, logger: false });
const health = await server.inject({ url: '/healthz' });
console.log('healthz: ' + health.statusCode);
await server.close();
`;

let packed: PackedPackage;
beforeAll(async () => {
  packed = await packCheckout();
}, 300_000);

describe('the packed package', () => {
  it('holds the bundled CLI with its third-party licences, the compiled API, the licence files and the schema: no sources, tests, benchmarks or examples', () => {
    expect(packed.name).toBe('@dynenv/cli');
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'NOTICE',
        'README.md',
        'package.json',
        'dynenv.schema.json',
        'bin/dynenv.js',
        'dist/cli/cli.js',
        'dist/cli/THIRD-PARTY-LICENSES.txt',
        'dist/contract/names.js',
        'dist/src/cli.js',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/plugin-server/index.js',
        'dist/plugin-server/index.d.ts',
      ]),
    );
    const outside = packed.files.filter(
      (file) =>
        !['LICENSE', 'NOTICE', 'README.md', 'package.json', 'dynenv.schema.json', 'bin/dynenv.js'].includes(file) &&
        !/^dist\/(cli|contract|src|plugin-server)\//.test(file),
    );
    expect(outside).toEqual([]);
    expect(
      packed.files.filter((file) => /^(test|bench|examples|gitops)\//.test(file) || /(^|\/)(__tests__|fixtures)\//.test(file) || /\.test\./.test(file)),
    ).toEqual([]);
    expect(packed.files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  it("installs into a fresh repository and follows the README's adoption path there, offline", async () => {
    const project = await installIntoFreshProject(packed);
    // The package's own `dynenv`, found locally by npx (the public registry is unreachable here).
    const version = await shell(project, 'npx', ['dynenv', '--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${packed.version}\n` });
    const help = await shell(project, 'npx', ['--no', '--', 'dynenv', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}synth +synthesize dynenv.yaml into the GitOps tree/m);
    expect((await shell(project, 'npx', ['dynenv', 'synth', '--help'])).stdout).toContain('--check');

    // The README's path: init writes the starter, synth the tree, validate checks it.
    const init = await shell(project, 'npx', ['--no', '--', 'dynenv', 'init', '--app', 'shop', '--repository', 'https://github.com/acme/shop.git']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote dynenv.yaml');
    const synth = await shell(project, 'npx', ['dynenv', 'synth']);
    expect(synth.code, synth.stderr).toBe(0);
    expect(synth.stdout).toMatch(/^base: \d+ added, 0 changed, 0 removed$/m);
    expect(await shell(project, 'npx', ['--no', '--', 'dynenv', 'synth', '--check'])).toMatchObject({
      code: 0,
      stdout: 'gitops/ is up to date with dynenv.yaml\n',
    });
    const validate = await shell(project, 'npx', ['--no', '--', 'dynenv', 'validate']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/^gitops\/ passes: \d+ objects in dev, staging, prod, preview, preview-fence, argocd/m);
    await shell(project, 'git', ['add', '-A']);
    const commit = await shell(project, 'git', ['-c', 'user.name=Dana', '-c', 'user.email=dana@example.com', 'commit', '--quiet', '-m', 'dynenv']);
    expect(commit.code, commit.stderr).toBe(0);
    const committed = (await shell(project, 'git', ['ls-files'])).stdout.split('\n').filter(Boolean);
    expect(committed).toEqual(expect.arrayContaining(['.gitignore', 'dynenv.yaml', 'package.json', 'gitops/base/kustomization.yaml']));
    expect(committed.filter((file) => !/^(\.gitignore|dynenv\.yaml|package(-lock)?\.json|gitops\/.+)$/.test(file))).toEqual([]);

    // The programmatic API, from its declared entry points, with its types.
    await writeFile(path.join(project, 'api.mts'), API_USE);
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', target: 'es2022', skipLibCheck: true, types: [] },
        files: ['api.mts'],
      }),
    );
    const typecheck = await shell(project, process.execPath, [TSC, '-p', 'tsconfig.json']);
    expect(typecheck.code, typecheck.stdout).toBe(0);
    await writeFile(path.join(project, 'api.mjs'), API_USE.replace(/: string| as never/g, ''));
    const api = await shell(project, process.execPath, ['api.mjs']);
    expect(api, api.stderr).toMatchObject({ code: 0, stdout: 'report ok: true\nhealthz: 200\n' });
  }, 300_000);
});
