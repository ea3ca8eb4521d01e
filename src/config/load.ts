/**
 * Reads `dynenv.yaml`, validates it against the schema and reports every problem at once, each naming the file,
 * the path of the field and the value found: `dynenv.yaml: services[1].port: expected an integer 1-65535, got "http"`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { closestMatch } from '../suggest.ts';
import { readRepositoryFiles } from './repository-files.ts';
import { configSchema, type Config } from './schema.ts';

/** Default location of the configuration, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = 'dynenv.yaml';

/** A configuration that failed to parse or validate; `problems` holds one line per problem. */
export class ConfigError extends UserError {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
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
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError([`${name ?? file}: cannot read the configuration: ${reason}`]);
  }
  const shown = name ?? (path.basename(file) === file ? file : path.relative(process.cwd(), file) || file);
  const config = parseConfig(text, shown);
  const { files, problems } = await readRepositoryFiles(config, path.dirname(path.resolve(file)), shown);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => `${shown}: ${formatPath(problem.field)}: ${problem.message}`));
  return files.size > 0 ? { ...config, repositoryFiles: files } : config;
}

/** Parses and validates configuration text; `file` only names the source in messages. */
export function parseConfig(text: string, file: string = DEFAULT_CONFIG_FILE): Config {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        const where = at ? `${file}:${at.line}:${at.col}` : file;
        return `${where}: invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
      }),
    );
  }
  const data: unknown = document.toJS() ?? {};
  const result = configSchema.safeParse(data, { error: describeIssue });
  if (!result.success) {
    throw new ConfigError(result.error.issues.flatMap((issue) => formatIssue(issue, data, file)));
  }
  return result.data;
}

/** Messages for the issues the schema does not word itself; they say what was expected. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${article(issue.expected)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `expected at least ${issue.minimum} item(s)` : `expected at least ${issue.minimum}`;
    default:
      return undefined;
  }
}

/** `integer` → "an integer", `object` → "a map": a JSON type as the person who wrote the YAML calls it. */
export function article(type: string): string {
  if (type === 'object') return 'a map';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** One line per problem: `file: path: message, got value`, or for an unknown key, a suggestion. */
function formatIssue(issue: z.core.$ZodIssue, data: unknown, file: string): string[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path);
    return issue.keys.map((key) => {
      const suggestion = closestMatch(key, known);
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length ? ` (known keys: ${known.join(', ')})` : '';
      return `${file}: ${formatPath([...issue.path, key])}: unknown key${hint}`;
    });
  }
  if (issue.code === 'invalid_union') {
    const branch = matchingBranch(issue);
    if (branch) return branch.flatMap((inner) => formatIssue({ ...inner, path: [...issue.path, ...inner.path] }, data, file));
  }
  const where = issue.path.length ? `${formatPath(issue.path)}: ` : '';
  const value = valueAt(data, issue.path);
  if (issue.code === 'custom') return [`${file}: ${where}${issue.message}`];
  if (issue.code === 'invalid_key') {
    // A record key that fails its own schema: say why the key is wrong and show the key, not its value.
    return [`${file}: ${where}${issue.issues[0]?.message ?? issue.message}, got ${show(issue.path.at(-1))}`];
  }
  if (!value.found) return [`${file}: ${where}missing, ${issue.message}`];
  const got = `, got ${show(value.value)}`;
  return [`${file}: ${where}${issue.message}${got}`];
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
