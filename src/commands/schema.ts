import { writeFile } from 'node:fs/promises';
import { parseCommandLine, type Command } from '../cli.ts';
import { configJsonSchema } from '../config/json-schema.ts';

export const schemaCommand: Command = {
  summary: 'print the JSON Schema of dynenv.yaml (--out FILE to write it), for editor completion',
  async run(argv) {
    const { values } = parseCommandLine(argv, { out: { type: 'string' } });
    const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
    if (values.out) await writeFile(values.out, text);
    else process.stdout.write(text);
    return 0;
  },
};
