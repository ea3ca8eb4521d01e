import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, UserError } from './errors.ts';

/** One subcommand of `dynenv`. It parses its own arguments and resolves to the process exit code. */
export interface Command {
  /** One line for `dynenv --help`. */
  readonly summary: string;
  run(argv: string[]): Promise<number>;
}

// Loaded lazily: `dynenv serve` should not pay for cdk8s, and `dynenv synth` not for Fastify.
const commands: Record<string, () => Promise<Command>> = {
  init: async () => (await import('./commands/init.ts')).initCommand,
  synth: async () => (await import('./commands/synth.ts')).synthCommand,
  schema: async () => (await import('./commands/schema.ts')).schemaCommand,
  propose: async () => (await import('./commands/propose.ts')).proposeCommand,
  promote: async () => (await import('./commands/promote.ts')).promoteCommand,
  history: async () => (await import('./commands/history.ts')).historyCommand,
  validate: async () => (await import('./commands/validate.ts')).validateCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  controller: async () => (await import('./commands/controller.ts')).controllerCommand,
  sweep: async () => (await import('./commands/sweep.ts')).sweepCommand,
  'create-database-secret': async () => (await import('./commands/create-database-secret.ts')).createDatabaseSecretCommand,
};

/** Runs `dynenv <command> [args]` and resolves to the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await usage());
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`dynenv: unknown command "${name}"\n\n${await usage()}`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`dynenv ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`dynenv ${name}: unexpected error (a bug in dynenv, please report it)\n`);
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 70;
  }
}

async function usage(): Promise<string> {
  const lines = ['usage: dynenv <command> [options]', '', 'commands:'];
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  for (const [name, load] of Object.entries(commands)) {
    lines.push(`  ${name.padEnd(width)} ${(await load()).summary}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `util.parseArgs` in strict mode, with its errors turned into usage errors (exit code 2) that name the
 * command.
 */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
