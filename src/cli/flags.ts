/**
 * The flags of a verb, declared once: parsing, `--help` and the test of the CI recipes all read these
 * declarations, so a flag cannot be documented one way and parsed another.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../contract/errors.ts';

interface FlagBase {
  /** What the flag does, as one line of `--help` (lower case, no final period). */
  readonly description: string;
  /** A one-letter form, e.g. `h` for `-h`. @default none */
  readonly short?: string;
  /**
   * Older or alternative names accepted as well. Help shows them after the description; giving two names of
   * one flag with different values is a usage error. @default none
   */
  readonly aliases?: readonly string[];
}

export interface StringFlag extends FlagBase {
  readonly type: 'string';
  /** The placeholder in help: `--config FILE`. @default "VALUE" */
  readonly valueName?: string;
  /** The value when the flag is absent (and `env` is unset). @default none: the flag is absent */
  readonly default?: string;
  /** An environment variable read when the flag is absent, before `default`. @default none */
  readonly env?: string;
  /** The only values accepted. @default any string */
  readonly choices?: readonly string[];
  /** Absent (and no `env`, no `default`) is a usage error. @default false */
  readonly required?: boolean;
}

export interface IntegerFlag extends FlagBase {
  readonly type: 'integer';
  /** @default "N" */
  readonly valueName?: string;
  /** @default none: the flag is absent */
  readonly default?: number;
  /** @default none */
  readonly env?: string;
  /** Smallest value accepted. @default no bound */
  readonly min?: number;
  /** Largest value accepted. @default no bound */
  readonly max?: number;
  /** @default false */
  readonly required?: boolean;
}

export interface BooleanFlag extends FlagBase {
  readonly type: 'boolean';
}

/** A flag given any number of times (`--from a.yaml --from b/`); its value is the list, empty when absent. */
export interface ListFlag extends FlagBase {
  readonly type: 'list';
  /** @default "VALUE" */
  readonly valueName?: string;
  /**
   * The verb's operands (arguments that are no flag) are values of this flag too, so that
   * `dynenv init --from a.yaml b/` lists two. At most one flag of a verb takes them. @default false
   */
  readonly operands?: boolean;
}

export type Flag = StringFlag | IntegerFlag | BooleanFlag | ListFlag;
export type Flags = Readonly<Record<string, Flag>>;

type HasValue<F> = F extends { readonly default: unknown } ? true : F extends { readonly required: true } ? true : false;

/** The parsed values of `F`: a flag with a default (or required) always has a value, others may be undefined. */
export type FlagValues<F extends Flags> = {
  -readonly [K in keyof F]: F[K] extends BooleanFlag
    ? boolean
    : F[K] extends ListFlag
      ? string[]
      : F[K] extends IntegerFlag
        ? HasValue<F[K]> extends true
          ? number
          : number | undefined
        : HasValue<F[K]> extends true
          ? string
          : string | undefined;
};

/** Declares a verb's flags; the identity, there to infer the literal types `FlagValues` needs. */
export function defineFlags<const F extends Flags>(flags: F): F {
  return flags;
}

/** The flags every verb accepts besides its own. */
export const HELP_FLAG: BooleanFlag = { type: 'boolean', short: 'h', description: 'show this help and exit' };

/**
 * Parses `argv` against `flags` (strict: unknown flags, missing values and operands are usage errors unless a
 * list flag takes the operands), then applies aliases, environment fallbacks, defaults, choices, integer bounds
 * and required flags.
 */
export function parseFlags<F extends Flags>(flags: F, argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): FlagValues<F> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, flag] of Object.entries(flags)) {
    for (const spelling of [name, ...(flag.aliases ?? [])]) {
      options[spelling] = {
        type: flag.type === 'boolean' ? 'boolean' : 'string',
        ...(flag.type === 'list' && { multiple: true }),
        ...(spelling === name && flag.short ? { short: flag.short } : {}),
      };
    }
  }
  const operandsFlag = Object.entries(flags).find(([, flag]) => flag.type === 'list' && flag.operands)?.[0];
  let raw: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let operands: string[];
  try {
    ({ values: raw, positionals: operands } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: operandsFlag !== undefined }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const values: Record<string, string | number | boolean | string[] | undefined> = {};
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.type === 'list') {
      values[name] = [
        ...[name, ...(flag.aliases ?? [])].flatMap((spelling) => (raw[spelling] as string[] | undefined) ?? []),
        ...(name === operandsFlag ? operands : []),
      ];
      continue;
    }
    const given = givenValue(name, flag, raw as Record<string, string | boolean | undefined>);
    if (flag.type === 'boolean') {
      values[name] = given === true;
      continue;
    }
    const text = (given as string | undefined) ?? (flag.env !== undefined && env[flag.env] ? env[flag.env] : undefined);
    if (text === undefined) {
      if (flag.default === undefined && flag.required)
        throw new UsageError(`--${name} ${flag.valueName ?? (flag.type === 'integer' ? 'N' : 'VALUE')} is required (${flag.description})`);
      values[name] = flag.default;
      continue;
    }
    values[name] = flag.type === 'integer' ? parseInteger(name, flag, text) : checkChoice(name, flag, text);
  }
  return values as FlagValues<F>;
}

/** The value given under the flag's name or one of its aliases; two names with different values conflict. */
function givenValue(name: string, flag: Flag, raw: Record<string, string | boolean | undefined>): string | boolean | undefined {
  const spellings = [name, ...(flag.aliases ?? [])].filter((spelling) => raw[spelling] !== undefined);
  const distinct = new Set(spellings.map((spelling) => raw[spelling]));
  if (distinct.size > 1) {
    throw new UsageError(`${spellings.map((spelling) => `--${spelling}`).join(' and ')} are the same flag: give it once`);
  }
  return spellings.length > 0 ? raw[spellings[0]!] : undefined;
}

function parseInteger(name: string, flag: IntegerFlag, text: string): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  const min = flag.min ?? Number.MIN_SAFE_INTEGER;
  const max = flag.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = flag.min !== undefined && flag.max !== undefined ? ` ${flag.min}-${flag.max}` : '';
    throw new UsageError(`--${name}: expected an integer${range}, got "${text}"`);
  }
  return value;
}

function checkChoice(name: string, flag: StringFlag, text: string): string {
  if (flag.choices && !flag.choices.includes(text)) {
    throw new UsageError(`--${name}: expected ${flag.choices.map((choice) => `"${choice}"`).join(' or ')}, got "${text}"`);
  }
  return text;
}
