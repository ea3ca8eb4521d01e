// `dynenv <args>` run from the TypeScript sources through tsx, as 0.1.0 ran every command: the "before" row.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
