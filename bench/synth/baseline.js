// The floor of every CLI run: Node.js starting and registering tsx, printing the same line as measure-cli.js.
import { register } from 'tsx/esm/api';

register();
process.stderr.write(`\n${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
