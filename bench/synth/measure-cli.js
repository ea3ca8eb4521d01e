// Runs one `dynenv` command as bin/dynenv.js does (the bundled CLI in dist/cli: `npm run build` first), then prints
// the process's peak resident memory as JSON on the last line of stderr. Spawned per run, so each run is cold.
const { main } = await import('../../dist/cli/cli.js');
const code = await main(process.argv.slice(2));
process.stderr.write(`\n${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
