import type { FlagValues } from '../cli/flags.ts';
import { history, type History } from '../delivery/history.ts';
import { formatReference } from '../delivery/image-pins.ts';
import type { historyFlags } from './history.ts';
import { redactCredentials } from '../../contract/redact-credentials.ts';
import { workingFolder } from '../working-folder.ts';

export async function run(flags: FlagValues<typeof historyFlags>): Promise<number> {
  const result = await history({
    cwd: workingFolder(),
    configFile: flags.config,
    outDir: flags.out,
    env: flags.env,
    service: flags.service,
    ref: flags.ref,
    base: flags.base,
  });
  if (result.warning) process.stderr.write(`warning: ${redactCredentials(result.warning)}\n`);
  process.stdout.write(flags.json ? `${JSON.stringify(result.entries.map(toJson), null, 2)}\n` : formatHistory(result));
  return 0;
}

/** A table, newest first; the pin each service runs now is marked `*`. */
export function formatHistory(result: History): string {
  if (result.entries.length === 0) return `no image pins in ${result.file} on ${result.revision}\n`;
  const rows = [
    ['', 'SINCE', 'SERVICE', 'IMAGE', 'COMMIT', 'SUBJECT'],
    ...result.entries.map((entry) => [
      entry.current ? '*' : '',
      `${entry.date.toISOString().slice(0, 16).replace('T', ' ')}Z`,
      entry.service,
      formatReference(entry.reference),
      entry.commit.slice(0, 12),
      entry.subject,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const table = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
  return `${result.file} on ${result.revision}, newest first (* = running now):\n${table.join('\n')}\n`;
}

function toJson(entry: History['entries'][number]) {
  return {
    service: entry.service,
    image: entry.image,
    ...entry.reference,
    commit: entry.commit,
    date: entry.date.toISOString(),
    subject: entry.subject,
    current: entry.current,
  };
}
