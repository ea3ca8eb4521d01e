// Runs one `dynenv` command exactly as bin/dynenv.js does (tsx registered, then the CLI), then prints the
// process's peak resident memory as JSON on the last line of stderr. Spawned per run, so each run is cold.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../../src/cli.ts');
const code = await main(process.argv.slice(2));
process.stderr.write(`\n${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
