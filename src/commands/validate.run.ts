import { existsSync } from 'node:fs';
import type { FlagValues } from '../cli/flags.ts';
import { loadConfig } from '../config/load.ts';
import { NO_EXTERNAL_OBJECTS, type ExternalObjects } from '../config/schema.ts';
import { DEFAULT_CONFIG_FILE } from '../defaults.ts';
import { externalObjects } from '../validate/external-objects.ts';
import { formatReport, type ReportFormat } from '../validate/report.ts';
import { validateTree } from '../validate/validate-tree.ts';
import type { validateFlags } from './validate.ts';

export async function run(flags: FlagValues<typeof validateFlags>): Promise<number> {
  const report = await validateTree({ directory: flags.out, external: await readExternalObjects(flags.config) });
  process.stdout.write(formatReport(report, flags.format as ReportFormat));
  return report.ok ? 0 : 1;
}

/**
 * The objects the configuration says exist outside the tree. A tree can be validated without its dynenv.yaml
 * (another repository's, say), so a missing default file means "none"; a file named with --config must exist.
 */
async function readExternalObjects(configFile: string | undefined): Promise<ExternalObjects> {
  if (configFile === undefined && !existsSync(DEFAULT_CONFIG_FILE)) return NO_EXTERNAL_OBJECTS;
  return externalObjects(await loadConfig(configFile ?? DEFAULT_CONFIG_FILE));
}
