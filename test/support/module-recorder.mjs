// Loaded with `node --import` by tests that ask which modules a dynenv process loads: appends the URL of every
// ES module it resolves and the path of every CommonJS module it requires to the file $DYNENV_MODULE_LOG.
// Plain JavaScript, because the process under test runs the compiled CLI without tsx.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const log = process.env.DYNENV_MODULE_LOG;
if (!log) throw new Error('module-recorder: set DYNENV_MODULE_LOG to the file to write');

register(new URL('./module-recorder-hooks.mjs', import.meta.url), { data: { log } });

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function recordingResolveFilename(...args) {
  const file = resolveFilename.apply(this, args);
  appendFileSync(log, `${file.startsWith('/') ? pathToFileURL(file).href : `node:${file}`}\n`);
  return file;
};
