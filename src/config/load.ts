/**
 * Reads `dynenv.yaml`, validates it against the schema and reports every problem at once, each naming the file
 * with the line and column, the field (services and other named list items by their name) and the value found:
 * `dynenv.yaml:14:5: services.api.port: expected an integer 1-65535, got "http"`. One mistake gives one problem:
 * what follows from a misspelled key or name (the key it was meant to be is "missing") is left out.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { DEFAULT_CONFIG_FILE } from '../defaults.ts';
import { UserError } from '../../contract/errors.ts';
import { redactCredentials } from '../../contract/redact-credentials.ts';
import { describeSystemError } from '../system-errors.ts';
import { closestMatch } from '../../contract/suggest.ts';
import { locate } from './locate.ts';
import { foldFollowOnProblems } from './follow-on-problems.ts';
import type { RawProblem } from './raw-problem.ts';
import { suggestEnvironmentName } from './environment-names.ts';
import { configSchema } from './config-schema.ts';
import { readRepositoryFiles } from './repository-files.ts';
import type { Config } from './schema.ts';

export { DEFAULT_CONFIG_FILE };

/** One problem of a configuration, located. */
export interface ConfigProblem {
  readonly file: string;
  /** 1-based; undefined when the problem has no place in the text (an unreadable file). */
  readonly line?: number;
  readonly column?: number;
  /** The field as the schema sees it (`['services', 0, 'port']`); empty for the whole file. */
  readonly path: readonly PropertyKey[];
  /** The field as the user reads it: `services.api.port`. */
  readonly field: string;
  /** What is wrong and what was found. */
  readonly message: string;
  /** A key or name that is probably a typo of `suggestion` (set for "did you mean" problems). */
  readonly suggestion?: string;
}

/** A configuration that failed to parse or validate; `problems` holds one line per problem, as printed. */
export class ConfigError extends UserError {
  readonly problems: string[];
  constructor(readonly details: readonly ConfigProblem[]) {
    const problems = details.map(formatProblem);
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
    this.name = 'ConfigError';
  }
}

/** `dynenv.yaml:14:5: services.api.port: expected ...` */
function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column}`;
  return `${where}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
}

/**
 * Loads and validates the configuration file at `file`; throws a ConfigError listing every problem. Messages
 * name the file `name` (by default `file`, relative to the working directory).
 */
export async function loadConfig(file: string = DEFAULT_CONFIG_FILE, name?: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file: run dynenv in the folder that holds it, or name it with --config FILE'
        : (describeSystemError(error) ?? (error as Error).message);
    throw new ConfigError([{ file: name ?? file, path: [], field: '', message: `cannot read the configuration: ${reason}` }]);
  }
  const shown = name ?? (path.basename(file) === file ? file : path.relative(process.cwd(), file) || file);
  const config = parseConfig(text, shown);
  const { files, problems } = await readRepositoryFiles(config, path.dirname(path.resolve(file)), shown);
  if (problems.length > 0) {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter });
    const data: unknown = document.toJS();
    throw new ConfigError(
      problems.map((problem) => ({
        file: shown,
        ...locate(document, lineCounter, problem.field),
        path: problem.field,
        field: formatNamedPath(data, problem.field),
        message: problem.message,
      })),
    );
  }
  return files.size > 0 ? { ...config, repositoryFiles: files } : config;
}

/** Parses and validates configuration text; `file` only names the source in messages. */
export function parseConfig(text: string, file: string = DEFAULT_CONFIG_FILE): Config {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        const message = `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
        return { file, ...(at && { line: at.line, column: at.col }), path: [], field: '', message };
      }),
    );
  }
  const data: unknown = toPlainData(document, file) ?? {};
  const result = configSchema.safeParse(data, { error: describeIssue });
  if (!result.success) {
    const found = result.error.issues.flatMap((issue) => problemsOf(issue, data));
    const kept: ConfigProblem[] = foldFollowOnProblems(found).map((problem) => ({
      file,
      ...locate(document, lineCounter, problem.path, problem.atKey),
      path: problem.path,
      field: formatNamedPath(data, problem.path),
      // A wrong value may be, or quote, a URL with a token in it: no problem line repeats a credential.
      message: redactCredentials(problem.message),
      ...(problem.suggestion !== undefined && { suggestion: problem.suggestion }),
    }));
    throw new ConfigError(kept);
  }
  return result.data;
}

/**
 * How far aliases may expand, counted as the yaml package counts them (each alias weighs the nodes it copies):
 * its default, said here because it is a promise. A few anchors (`&defaults` … `<<: *defaults`) stay far below
 * it; a "billion laughs" document (aliases of aliases of aliases) passes it within a few levels.
 */
export const MAX_ALIAS_COUNT = 100;

function toPlainData(document: Document.Parsed, file: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /excessive alias count/i.test(error.message)) {
      throw new ConfigError([
        {
          file,
          path: [],
          field: '',
          message:
            `its aliases (*name) expand to more than the ${MAX_ALIAS_COUNT} nodes allowed: aliases of aliases grow ` +
            'exponentially (a "billion laughs" document). Write the values out, or alias fewer of them',
        },
      ]);
    }
    throw error;
  }
}

/** Messages for the issues the schema does not word itself; they say what was expected. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${article(issue.expected)}`;
    case 'invalid_union':
      return unionExpectation(issue);
    case 'invalid_format':
      return 'does not have the expected form';
    case 'too_big':
      return issue.origin === 'array'
        ? `expected at most ${issue.maximum} item(s)`
        : issue.origin === 'string'
          ? `expected at most ${issue.maximum} characters`
          : `expected at most ${issue.maximum}`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `expected at least ${issue.minimum} item(s)` : `expected at least ${issue.minimum}`;
    default:
      return undefined;
  }
}

/** "expected a string or a map": the types a union's alternatives take, when the value fits none of them. */
function unionExpectation(issue: z.core.$ZodRawIssue<z.core.$ZodIssueInvalidUnion>): string {
  const types = new Set<string>();
  for (const branch of issue.errors ?? []) {
    for (const inner of branch) {
      if (inner.path.length === 0 && inner.code === 'invalid_type') types.add(article(inner.expected));
      else if (inner.path.length === 0 && inner.code === 'invalid_value') for (const value of inner.values) types.add(JSON.stringify(value));
    }
  }
  const list = [...types];
  if (list.length === 0) return 'not a value this field takes (see dynenv.schema.json for its forms)';
  return `expected ${list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`}`;
}

/** `integer` → "an integer", `object` → "a map": a JSON type as the person who wrote the YAML calls it. */
export function article(type: string): string {
  if (type === 'object' || type === 'record' || type === 'map') return 'a map';
  if (type === 'array' || type === 'tuple' || type === 'set') return 'a list';
  if (type === 'int' || type === 'bigint') return 'an integer';
  if (type === 'nan') return 'a number';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The problems of one issue: `path: message, got value`, or for an unknown key, a suggestion. */
function problemsOf(issue: z.core.$ZodIssue, data: unknown): RawProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path);
    return issue.keys.map((key) => {
      const suggestion = suggestKey(key, known, issue.path);
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length ? ` (known keys: ${known.join(', ')})` : '';
      return { path: [...issue.path, key], message: `unknown key${hint}`, atKey: true, ...(suggestion !== undefined && { suggestion }) };
    });
  }
  if (issue.code === 'invalid_union') {
    const branch = matchingBranch(issue);
    if (branch) return branch.flatMap((inner) => problemsOf({ ...inner, path: [...issue.path, ...inner.path] }, data));
  }
  const value = valueAt(data, issue.path);
  if (issue.code === 'custom') {
    const suggestion = (issue.params as { didYouMean?: unknown } | undefined)?.didYouMean;
    return [{ path: issue.path, message: issue.message, ...(typeof suggestion === 'string' && { suggestion, atKey: true }) }];
  }
  if (issue.code === 'invalid_key') {
    // A record key that fails its own schema: say why the key is wrong and show the key, not its value.
    return [{ path: issue.path, message: `${issue.issues[0]?.message ?? issue.message}, got ${show(issue.path.at(-1))}`, atKey: true }];
  }
  if (!value.found) return [{ path: issue.path, message: `missing, ${issue.message}` }];
  return [{ path: issue.path, message: `${issue.message}, got ${show(value.value)}` }];
}

/** What an unknown key was probably meant to be: an environment's usual other names, else the closest key. */
function suggestKey(key: string, known: readonly string[], parent: readonly PropertyKey[]): string | undefined {
  if (parent.length === 1 && parent[0] === 'environments') return suggestEnvironmentName(key);
  return closestMatch(key, known);
}

/**
 * The alternative of a union that the value was meant for (the one whose shape it has, with the fewest problems:
 * a map where another alternative expects `false` or a string), so that its own problems are reported at their
 * own paths (`probes.readiness.http.port: ...`) rather than as "expected one of ...". Undefined when no
 * alternative, or several equally, fit the value.
 */
function matchingBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  // A value of the wrong type, or a string of the wrong form, was not meant for that alternative.
  const wrongShape = (inner: z.core.$ZodIssue) =>
    inner.path.length === 0 && (inner.code === 'invalid_type' || inner.code === 'invalid_value' || inner.code === 'invalid_format');
  const candidates = issue.errors
    .map((branch) => {
      const [only] = branch;
      if (branch.length === 1 && only!.code === 'invalid_union' && only!.path.length === 0) return matchingBranch(only as z.core.$ZodIssueInvalidUnion);
      return branch.length > 0 && !branch.some(wrongShape) ? branch : undefined;
    })
    .filter((branch): branch is z.core.$ZodIssue[] => branch !== undefined);
  const fewest = Math.min(...candidates.map((branch) => branch.length));
  const best = candidates.filter((branch) => branch.length === fewest);
  return best.length === 1 ? best[0] : undefined;
}

/**
 * The path as the user reads it: an item of a list of named things (services, ports, init containers) by its
 * name when that name is unique in the list: `services.api.port`, not `services[0].port`.
 */
export function formatNamedPath(data: unknown, segments: readonly PropertyKey[]): string {
  const named: PropertyKey[] = [];
  let current: unknown = data;
  for (const segment of segments) {
    if (typeof segment === 'number' && Array.isArray(current)) {
      const name = nameOf(current[segment]);
      named.push(name !== undefined && current.filter((item) => nameOf(item) === name).length === 1 ? name : segment);
    } else {
      named.push(segment);
    }
    current =
      current !== null && typeof current === 'object' && Object.hasOwn(current, segment) ? (current as Record<PropertyKey, unknown>)[segment] : undefined;
  }
  return formatPath(named);
}

function nameOf(item: unknown): string | undefined {
  const name = item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** `services[1].port`, `environments.prod.services.api.digest`, `env["my key"]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

function valueAt(data: unknown, segments: readonly PropertyKey[]): { found: true; value: unknown } | { found: false } {
  let current: unknown = data;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return { found: false };
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { found: true, value: current };
}

/** A value as the user wrote it, shortened so that one huge value cannot flood the terminal. */
export { show as showValue };
function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The keys the schema accepts for the object at `segments`, for "did you mean" hints. */
function knownKeys(segments: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType = configSchema;
  for (const segment of segments) {
    const next = childSchema(schema, segment);
    if (!next) return [];
    schema = next;
  }
  const shape = unwrap(schema);
  return shape instanceof z.ZodObject ? Object.keys(shape.shape) : [];
}

function childSchema(schema: z.core.$ZodType, segment: PropertyKey): z.core.$ZodType | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return inner.shape[String(segment)] as z.core.$ZodType | undefined;
  if (inner instanceof z.ZodArray) return inner.element as z.core.$ZodType;
  if (inner instanceof z.ZodRecord) return inner.valueType as z.core.$ZodType;
  return undefined;
}

// Defaults, optionals and refinements wrap the schema that holds the shape.
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap() as z.core.$ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.core.$ZodType;
    else return current;
  }
}
