import { existsSync } from 'node:fs';
import { parseCommandLine, type Command } from '../cli.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { UsageError } from '../errors.ts';
import { clusterFacts } from '../validate/cluster-facts.ts';
import { externalObjects } from '../validate/external-objects.ts';
import { formatReport, REPORT_FORMATS, type ReportFormat } from '../validate/report.ts';
import { unpinnedImages } from '../validate/unpinned-images.ts';
import { validateTree } from '../validate/validate-tree.ts';

export const validateCommand: Command = {
  summary: 'render every overlay and argocd/ and check them: schemas, references, guardrails (--format json for CI)',
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      dir: { type: 'string', default: 'gitops' },
      format: { type: 'string', default: 'text' },
      config: { type: 'string' },
    });
    if (!(REPORT_FORMATS as readonly string[]).includes(values.format)) {
      throw new UsageError(`--format: expected ${REPORT_FORMATS.map((format) => `"${format}"`).join(' or ')}, got "${values.format}"`);
    }
    const config = await readConfig(values.config);
    const report = await validateTree({
      directory: values.dir,
      ...(config && { external: externalObjects(config), cluster: clusterFacts(config), unpinnedImages: unpinnedImages(config) }),
    });
    process.stdout.write(formatReport(report, values.format as ReportFormat));
    return report.ok ? 0 : 1;
  },
};

/**
 * The configuration, for what it says exists outside the tree, about the cluster, and which images run by tag on
 * purpose. A tree can be validated without its dynenv.yaml (another repository's, say), so a missing default file
 * means "nothing said"; a file named with --config must exist.
 */
async function readConfig(configFile: string | undefined): Promise<Config | undefined> {
  if (configFile === undefined && !existsSync(DEFAULT_CONFIG_FILE)) return undefined;
  return loadConfig(configFile ?? DEFAULT_CONFIG_FILE);
}
