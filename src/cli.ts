/**
 * The `dynenv` command line: finds the verb, answers `--help` and `--version` from the verbs' declarations
 * (loading none of their code), parses the flags, runs the verb, and turns what it throws into one line.
 */
import { parseFlags } from './cli/flags.ts';
import { formatUsage, formatVerbHelp } from './cli/help.ts';
import { describeSystemError } from './system-errors.ts';
import type { Verb } from './cli/verb.ts';
import { packageVersion } from './cli/version.ts';
import { VERBS } from './cli/verbs.ts';
import { UserError } from '../contract/errors.ts';

/** Runs `dynenv <verb> [flags]` and resolves to the exit code; never throws. */
export async function main(argv: readonly string[], verbs: readonly Verb[] = VERBS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(formatUsage(verbs));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (name === 'help') return help(verbs, rest[0]);
  const verb = verbs.find((candidate) => candidate.name === name);
  if (!verb) {
    process.stderr.write(`dynenv: unknown command "${name}"\n\n${formatUsage(verbs)}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(formatVerbHelp(verb));
    return 0;
  }
  try {
    const flags = parseFlags(verb.flags, rest);
    return await (await verb.load()).run(flags);
  } catch (error) {
    return report(name, error);
  }
}

/** `dynenv help [verb]` */
function help(verbs: readonly Verb[], name: string | undefined): number {
  if (name === undefined) {
    process.stdout.write(formatUsage(verbs));
    return 0;
  }
  const verb = verbs.find((candidate) => candidate.name === name);
  if (!verb) {
    process.stderr.write(`dynenv help: unknown command "${name}"\n\n${formatUsage(verbs)}`);
    return 2;
  }
  process.stdout.write(formatVerbHelp(verb));
  return 0;
}

/** `-h` or `--help` anywhere among the flags (before a `--`), whatever else is there. */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Prints what went wrong in one line when the user can act on it, in full when it is a bug; the exit code. */
function report(name: string, error: unknown): number {
  if (error instanceof UserError) {
    process.stderr.write(`dynenv ${name}: ${error.message}\n`);
    return error.exitCode;
  }
  const system = describeSystemError(error);
  if (system !== undefined) {
    process.stderr.write(`dynenv ${name}: ${system}\n`);
    return 1;
  }
  process.stderr.write(`dynenv ${name}: unexpected error (a bug in dynenv, please report it)\n`);
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 70;
}
