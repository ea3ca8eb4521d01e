/**
 * Runs an official schema over an object and also reports the fields the schema does not know.
 *
 * The generated validators (ajv, compiled into kubernetes-models) accept unknown fields, so a typo such as
 * `replica:` would pass. Rather than keep a second, hand-written list of fields, the object is handed to the
 * validator through a recording view: a compiled validator reads every property its schema declares
 * (`data.replicas === undefined || ...`), so any key it never read is one the schema does not declare. Maps
 * (labels, a ConfigMap's data) are enumerated by the validator, and free-form objects (Argo CD's `valuesObject`,
 * a plugin's `input.parameters`) are not read at all: neither is reported.
 */
import type { SchemaValidator } from './schema-catalog.ts';

/** One schema violation, as ajv reports it. */
export interface SchemaViolation {
  /** Where, as path segments (list indexes are numbers). */
  readonly path: readonly PropertyKey[];
  /** The ajv keyword that failed: "type", "required", "enum", "format", "anyOf", ... */
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** ajv's own wording, e.g. "must be integer". */
  readonly message: string | undefined;
}

/** A key the schema does not declare. */
export interface UnknownField {
  /** Path of the unknown key itself, e.g. ["spec", "replica"]. */
  readonly path: readonly PropertyKey[];
  /** The keys the schema declares at that place, for "did you mean" hints. */
  readonly known: readonly string[];
}

export interface SchemaCheck {
  readonly violations: readonly SchemaViolation[];
  readonly unknownFields: readonly UnknownField[];
}

/**
 * Property names the generated validators never read: their generator strips the JSON Schema annotations
 * `description` and `x-kubernetes-*` from every schema, and with them the properties of the same names (an
 * AppProject's `description`, a PriorityClass's, a CRD schema's `x-kubernetes-preserve-unknown-fields`). Keys of
 * those names are taken as known everywhere.
 */
function isStrippedProperty(key: string): boolean {
  return key === 'description' || key.startsWith('x-kubernetes-');
}

interface ObjectRecord {
  readonly value: object;
  readonly path: readonly PropertyKey[];
  readonly read: Set<string>;
  enumerated: boolean;
}

/** Validates `object` with `validate` and lists both its violations and its unknown fields. */
export function checkAgainstSchema(object: object, validate: SchemaValidator): SchemaCheck {
  const records: ObjectRecord[] = [];
  const view = recordingView(object, [], records);
  let violations: SchemaViolation[] = [];
  try {
    validate.call(view);
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) throw error;
    violations = errors.map((raw) => toViolation(raw as AjvError, object));
  }
  return { violations, unknownFields: unreadKeys(records) };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function recordingView(value: object, path: readonly PropertyKey[], records: ObjectRecord[]): object {
  const record: ObjectRecord = { value, path, read: new Set(), enumerated: false };
  records.push(record);
  const children = new Map<string, object>();
  return new Proxy(value, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return child;
      record.read.add(key);
      if (child === null || typeof child !== 'object') return child;
      let view = children.get(key);
      if (!view) {
        view = recordingView(child, [...path, Array.isArray(target) ? Number(key) : key], records);
        children.set(key, view);
      }
      return view;
    },
    has(target, key) {
      if (typeof key === 'string') record.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      record.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

function unreadKeys(records: readonly ObjectRecord[]): UnknownField[] {
  const unknown: UnknownField[] = [];
  for (const record of records) {
    // A list, a map the validator walked, or an object whose schema declares no property at all.
    if (Array.isArray(record.value) || record.enumerated || record.read.size === 0) continue;
    const known = [...record.read].sort();
    for (const key of Object.keys(record.value)) {
      if (!record.read.has(key) && !isStrippedProperty(key)) unknown.push({ path: [...record.path, key], known });
    }
  }
  return unknown;
}

function toViolation(error: AjvError, object: object): SchemaViolation {
  const path: PropertyKey[] = [];
  let current: unknown = object;
  for (const escaped of error.instancePath.split('/').slice(1)) {
    const segment = escaped.replaceAll('~1', '/').replaceAll('~0', '~');
    const key = Array.isArray(current) ? Number(segment) : segment;
    path.push(key);
    current = (current as Record<PropertyKey, unknown> | undefined)?.[key];
  }
  return { path, keyword: error.keyword, params: error.params, message: error.message };
}
