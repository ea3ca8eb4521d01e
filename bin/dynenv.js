#!/usr/bin/env node
// The `dynenv` command. It runs the CLI that `npm run build` compiled and bundled into dist/cli/ (npm runs the
// build on install and pack, the Dockerfile in its build stage), so nothing compiles TypeScript at run time and a
// command loads a few files rather than hundreds (tools/bundle-cli.mjs says why).
//
// In a checkout of dynenv itself (src/ beside dist/), a dist/ older than the sources would run yesterday's code:
// then the sources run through tsx (a dev dependency) instead, slower but never stale.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node.js 22.1 and later keep V8's compiled code of dist/ and the dependencies between runs (in the system's
// temporary folder), which shortens every start after the first; Node.js 20 has no such cache.
module.enableCompileCache?.();

// `dynenv schema | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const root = new URL('../', import.meta.url);
const compiled = new URL('dist/cli/cli.js', root);
const { main } = existsSync(new URL('src/cli.ts', root)) && !(await compiledIsCurrent()) ? await fromSources() : await import(compiled.href);
process.exitCode = await main(process.argv.slice(2));

/** In a checkout: whether dist/ is current (tools/build-freshness.mjs, which a checkout without it cannot tell). */
async function compiledIsCurrent() {
  try {
    return (await import(new URL('tools/build-freshness.mjs', root).href)).compiledIsCurrent(root);
  } catch {
    return false;
  }
}

async function fromSources() {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('dynenv: dist/ is missing or older than src/, and tsx is not installed: run `npm run build` (or `npm ci`)\n');
    process.exit(70);
  }
  register();
  return import(new URL('src/cli.ts', root).href);
}
