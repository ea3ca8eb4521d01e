import { parseArgs } from 'node:util';
import path from 'node:path';
import type { Command } from '../cli.ts';
import { UsageError } from '../errors.ts';

const USAGE = 'usage: dynenv init [--from <file or folder>...] [--app NAME] [--repository URL] [--config FILE]';

export const initCommand: Command = {
  summary: 'write a commented dynenv.yaml: a starter, or imported from Kubernetes manifests with --from <files or folders>...',
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          from: { type: 'string', multiple: true },
          app: { type: 'string' },
          repository: { type: 'string' },
          config: { type: 'string', default: 'dynenv.yaml' },
        },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n${USAGE}`);
    }
    const { values, positionals } = parsed;
    // `--from a.yaml b/ c.yaml`: the paths after --from are its values.
    if (positionals.length > 0 && values.from === undefined) throw new UsageError(`unexpected ${positionals[0]}: manifests come after --from\n${USAGE}`);
    const { initConfig } = await import('../import/init-config.ts');
    const result = await initConfig({
      configFile: path.resolve(values.config),
      from: [...(values.from ?? []), ...positionals],
      cwd: process.cwd(),
      ...(values.app !== undefined && { app: values.app }),
      ...(values.repository !== undefined && { repositoryUrl: values.repository }),
    });
    process.stdout.write(result.report);
    return 0;
  },
};
