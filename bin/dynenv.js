#!/usr/bin/env node
// The `dynenv` command. The sources are TypeScript run through tsx, so there is no build step between a
// checkout and a working CLI (and the plugin server image runs the same files).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
