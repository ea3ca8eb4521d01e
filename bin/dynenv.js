#!/usr/bin/env node
// The `dynenv` command. The sources are TypeScript run through tsx, so there is no build step between a
// checkout and a working CLI (and the plugin server image runs the same files).
import { register } from 'tsx/esm/api';

// `dynenv schema | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
