/** How a synthesis's changes to the tree are shown: by synth, synth --check and propose's pull request. */
import type { TreeChanges } from './write.ts';

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
