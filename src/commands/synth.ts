import { parseCommandLine, type Command } from '../cli.ts';
import { DEFAULT_CONFIG_FILE } from '../config/load.ts';
import { synthesize } from '../gitops/synthesize.ts';
import { hasChanges, type TreeChanges } from '../gitops/write.ts';

export const synthCommand: Command = {
  summary: 'synthesize dynenv.yaml into the GitOps tree (--check: fail when the tree is stale)',
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      out: { type: 'string', default: 'gitops' },
      check: { type: 'boolean', default: false },
    });
    const changes = await synthesize({ configFile: values.config, outDir: values.out, check: values.check });
    if (changes.foreign.length > 0) process.stderr.write(formatForeign(values.out, changes.foreign));
    if (values.check) {
      if (!hasChanges(changes)) {
        process.stdout.write(`${values.out}/ is up to date with ${values.config}\n`);
        return 0;
      }
      process.stderr.write(`${values.out}/ is stale: it differs from what ${values.config} synthesizes. Run \`npx dynenv synth\` and commit.\n`);
      process.stderr.write(formatChanges(values.out, changes));
      return 1;
    }
    process.stdout.write(hasChanges(changes) ? formatChanges(values.out, changes) : `${values.out}/ is up to date: nothing written\n`);
    return 0;
  },
};

/** A note on the files synthesis found but did not write, and so left alone. */
export function formatForeign(outDir: string, foreign: readonly string[]): string {
  const lines = foreign.slice(0, 10).map((file) => `  ${outDir}/${file}`);
  if (foreign.length > 10) lines.push(`  ... and ${foreign.length - 10} more`);
  return `note: left as they are, not written by dynenv (no generated-file header, or a symbolic link):\n${lines.join('\n')}\n`;
}

/**
 * One line per part of the tree (base, each overlay, argocd) with its counts, then its files:
 * `+` added, `~` changed, `-` removed.
 */
export function formatChanges(outDir: string, changes: TreeChanges): string {
  const groups = new Map<string, string[]>();
  const counts = new Map<string, { added: number; changed: number; removed: number }>();
  const note = (kind: 'added' | 'changed' | 'removed', mark: string) => {
    for (const file of changes[kind]) {
      const group = groupOf(file);
      groups.set(group, [...(groups.get(group) ?? []), `${mark} ${outDir}/${file}`]);
      const count = counts.get(group) ?? { added: 0, changed: 0, removed: 0 };
      count[kind] += 1;
      counts.set(group, count);
    }
  };
  note('added', '+');
  note('changed', '~');
  note('removed', '-');
  const lines: string[] = [];
  for (const group of [...groups.keys()].sort()) {
    const { added, changed, removed } = counts.get(group)!;
    lines.push(`${group}: ${added} added, ${changed} changed, ${removed} removed`);
    lines.push(...groups.get(group)!.sort((a, b) => (a.slice(2) < b.slice(2) ? -1 : 1)).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

/** `overlays/dev/patches/x.yaml` → `overlays/dev`; `base/api/service.yaml` → `base`. */
export function groupOf(file: string): string {
  const [first, second] = file.split('/');
  return first === 'overlays' && second !== undefined ? `overlays/${second}` : (first ?? file);
}
