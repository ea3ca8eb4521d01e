import type { FlagValues } from '../cli/flags.ts';
import type { sweepFlags } from './sweep.ts';

/** `dynenv sweep`: one sweep of orphaned preview namespaces. */
export async function run(flags: FlagValues<typeof sweepFlags>): Promise<number> {
  const { runSweep } = await import('../../plugin-server/controller/sweep-main.ts');
  await runSweep(process.env, { dryRun: flags['dry-run'] });
  return 0;
}
