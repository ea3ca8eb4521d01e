import { existsSync } from 'node:fs';
import type { FlagValues } from '../cli/flags.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { DEFAULT_CONFIG_FILE } from '../defaults.ts';
import { clusterFacts } from '../validate/cluster-facts.ts';
import { externalObjects } from '../validate/external-objects.ts';
import { formatReport, type ReportFormat } from '../validate/report.ts';
import { podSecurityLevels } from '../validate/pod-security-levels.ts';
import { environmentContracts } from '../validate/service-contracts.ts';
import { unpinnedImages } from '../validate/unpinned-images.ts';
import { validateTree } from '../validate/validate-tree.ts';
import type { validateFlags } from './validate.ts';

export async function run(flags: FlagValues<typeof validateFlags>): Promise<number> {
  const config = await readConfig(flags.config);
  const report = await validateTree({
    directory: flags.out,
    ...(config && {
      external: externalObjects(config),
      cluster: clusterFacts(config),
      podSecurity: podSecurityLevels(config),
      unpinnedImages: unpinnedImages(config),
      contracts: environmentContracts(config),
    }),
  });
  process.stdout.write(formatReport(report, flags.format as ReportFormat));
  return report.ok ? 0 : 1;
}

/**
 * The configuration, for what it says exists outside the tree and about the cluster. A tree can be validated
 * without its dynenv.yaml (another repository's, say), so a missing default file means "nothing said"; a file
 * named with --config must exist.
 */
async function readConfig(configFile: string | undefined): Promise<Config | undefined> {
  if (configFile === undefined && !existsSync(DEFAULT_CONFIG_FILE)) return undefined;
  return loadConfig(configFile ?? DEFAULT_CONFIG_FILE);
}
