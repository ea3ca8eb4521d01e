import type { FlagValues } from '../cli/flags.ts';
import { formatChanges } from '../gitops/format-changes.ts';
import { synthesize } from '../gitops/synthesize.ts';
import { hasChanges } from '../gitops/write.ts';
import type { synthFlags } from './synth.ts';

export async function run(flags: FlagValues<typeof synthFlags>): Promise<number> {
  const changes = await synthesize({ configFile: flags.config, outDir: flags.out, check: flags.check });
  if (flags.check) {
    if (!hasChanges(changes)) {
      process.stdout.write(`${flags.out}/ is up to date with ${flags.config}\n`);
      return 0;
    }
    process.stderr.write(`${flags.out}/ is stale: it differs from what ${flags.config} synthesizes. Run \`npx dynenv synth\` and commit.\n`);
    process.stderr.write(formatChanges(flags.out, changes));
    return 1;
  }
  process.stdout.write(hasChanges(changes) ? formatChanges(flags.out, changes) : `${flags.out}/ is up to date: nothing written\n`);
  return 0;
}
