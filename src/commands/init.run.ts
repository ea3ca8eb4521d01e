import path from 'node:path';
import type { FlagValues } from '../cli/flags.ts';
import type { initFlags } from './init.ts';

/** `dynenv init`: the starter or the import, and the report of what was written. */
export async function run(flags: FlagValues<typeof initFlags>): Promise<number> {
  const { initConfig } = await import('../import/init-config.ts');
  const result = await initConfig({
    configFile: path.resolve(flags.config),
    from: flags.from,
    cwd: process.cwd(),
    ...(flags.app !== undefined && { app: flags.app }),
    ...(flags.repository !== undefined && { repositoryUrl: flags.repository }),
  });
  process.stdout.write(result.report);
  return 0;
}
