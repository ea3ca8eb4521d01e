// The `dynenv` command as bin/dynenv.js runs it: the CLI bundled with esbuild into dist/cli/, after tsc has built
// dist/ (`npm run build` runs both). Why a bundle: a cold `dynenv synth` spent a third of its time finding,
// reading, lexing and compiling several hundred module files of cdk8s, cdk8s-plus-28, yaml and zod one by one
// (and Node.js lexes every CommonJS module an ES module imports, a second time). In one bundle it is one file
// per chunk.
//
// - Code splitting keeps the verbs lazy: each verb's code (`<verb>.run.ts`) is a chunk that only that verb
//   loads, so `--help` loads no chunk of any verb and `serve` none of cdk8s.
// - Bundled are the generator's dependencies, which every synth, validate and init loads (GENERATOR_PACKAGES,
//   with what they import); every other package (Fastify, Octokit, the Kubernetes models that validate looks up
//   by name at run time) stays external and loads from node_modules as installed.
// - dist/cli/THIRD-PARTY-LICENSES.txt carries the licence and notice of every bundled package, which
//   redistributing their code requires; dist/cli-meta.json (esbuild's metafile, not packed) says which chunk
//   holds which package, for the tests of lazy loading.
//
//   node tools/bundle-cli.mjs
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'dist/cli');
const META = path.join(ROOT, 'dist/cli-meta.json');

/** The packages bundled into the CLI, with everything they import; all others are loaded from node_modules. */
const GENERATOR_PACKAGES = new Set(['cdk8s', 'cdk8s-plus-28', 'constructs', 'yaml', 'zod']);

/** `@scope/name` or `name` of a bare import specifier; undefined for relative paths and Node.js built-ins. */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Leaves every package but the generator's (and what those import) to be loaded from node_modules at run time. */
const externalServerPackages = {
  name: 'external-server-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      if (name === undefined || args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      return GENERATOR_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: path.join(ROOT, 'src/cli.ts') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The bundled CommonJS packages call require() for Node.js built-ins; in an ES module it has to be made.
  banner: { js: "import { createRequire as dynenvCreateRequire } from 'node:module'; const require = dynenvCreateRequire(import.meta.url);" },
  plugins: [externalServerPackages],
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(META, JSON.stringify(result.metafile));
writeFileSync(path.join(OUT, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(Object.keys(result.metafile.inputs)));

/** The licence texts of every package whose files are in the bundle, one section per package. */
function thirdPartyLicenses(inputs) {
  const roots = new Set();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) roots.add(match[1]);
  }
  // One section per name and version: cdk8s carries its own copy of yaml, the same release as dynenv's.
  const sections = new Map();
  for (const root of [...roots].sort()) {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, root, 'package.json'), 'utf8'));
    const texts = readdirSync(path.join(ROOT, root))
      .filter((file) => /^(licen[cs]e|notice)(\.|$)/i.test(file))
      .sort()
      .map((file) => readFileSync(path.join(ROOT, root, file), 'utf8').trim());
    if (texts.length === 0) throw new Error(`${root}: no LICENSE file to carry into the bundle`);
    const title = `${manifest.name} ${manifest.version} (${manifest.license})`;
    sections.set(title, [title, ...texts].join('\n\n'));
  }
  return (
    [
      'The dynenv command (dist/cli/) bundles code of the packages below. Their licences and notices follow.',
      ...[...sections.keys()].sort().map((title) => sections.get(title)),
    ].join(`\n\n${'='.repeat(100)}\n\n`) + '\n'
  );
}
