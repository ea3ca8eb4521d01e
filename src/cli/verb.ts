/**
 * One verb of `dynenv` (synth, validate, serve…), declared as data: its flags, help text and environment.
 * The declaration imports nothing heavy; the code that runs the verb is a separate module loaded only when
 * the verb runs, so `dynenv --help` and `dynenv <verb> --help` load no command's dependencies.
 */
import type { FlagValues, Flags } from './flags.ts';

/** An environment variable a verb reads, for its help. */
export interface EnvironmentVariable {
  readonly name: string;
  /** What it sets, as one line of help. */
  readonly description: string;
  /** The value when unset, shown in help. @default none shown */
  readonly default?: string;
}

/** The module that runs a verb, loaded lazily. */
export interface VerbModule<F extends Flags> {
  /** Runs the verb with its parsed flags; resolves to the process exit code. Throws UserError for bad input. */
  run(flags: FlagValues<F>): Promise<number>;
}

/** What a verb's declaration says (src/commands/<verb>.ts): its name, flags and help; nothing that runs it. */
export interface VerbDeclaration<F extends Flags = Flags> {
  /** The word after `dynenv`. */
  readonly name: string;
  /** One line for `dynenv --help` (lower case, no final period). */
  readonly summary: string;
  /** Paragraphs for `dynenv <verb> --help`, after the usage line. @default the summary */
  readonly description?: string;
  readonly flags: F;
  /** Environment variables the verb reads, listed in its help. @default none */
  readonly environment?: readonly EnvironmentVariable[];
}

/**
 * A verb the command line can run: its declaration and the import of the module that runs it. The two meet in
 * src/cli/verbs.ts, not in the declaration, so that `<verb>.run.ts` may take its flags' type from `<verb>.ts`
 * without the two importing each other.
 */
export interface Verb<F extends Flags = Flags> extends VerbDeclaration<F> {
  /** Imports the module that runs the verb. */
  load(): Promise<VerbModule<F>>;
}

/** Declares a verb; the identity, there to infer the flags' type. */
export function defineVerb<F extends Flags>(verb: VerbDeclaration<F>): VerbDeclaration<F> {
  return verb;
}

/** The verb `declaration` runs with the module `load` imports; checks that module against the declared flags. */
export function runnableVerb<F extends Flags>(declaration: VerbDeclaration<F>, load: () => Promise<VerbModule<F>>): Verb<F> {
  return { ...declaration, load };
}
