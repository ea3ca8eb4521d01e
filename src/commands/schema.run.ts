import { writeFile } from 'node:fs/promises';
import type { FlagValues } from '../cli/flags.ts';
import { configJsonSchema } from '../config/json-schema.ts';
import type { schemaFlags } from './schema.ts';

export async function run(flags: FlagValues<typeof schemaFlags>): Promise<number> {
  const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
  if (flags.out) await writeFile(flags.out, text);
  else process.stdout.write(text);
  return 0;
}
