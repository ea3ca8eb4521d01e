// The floor of every CLI run: Node.js starting, printing the same line as measure-cli.js.
process.stderr.write(`\n${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
