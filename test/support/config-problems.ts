/** The problems a configuration is rejected with, one line each, for table tests of the schema's messages. */
import { ConfigError, parseConfig } from '../../src/config/load.ts';

export function problems(text: string): string[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}
