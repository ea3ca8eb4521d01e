/**
 * Finds the official schema of an object's kind: kubernetes-models for Kubernetes' own API groups,
 * @kubernetes-models/argo-cd for Argo CD's. A group neither package knows is a custom resource (cert-manager,
 * External Secrets, ...) that this machine has no schema for; a group it knows but an apiVersion or kind it does
 * not is a mistake (`apps/v2`, `Deploymnet`) that the API server would reject.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { closestMatch } from '../../contract/suggest.ts';
import { apiGroup } from './kinds.ts';

/** Validates one object against the schema; throws an error carrying ajv's `errors` when it does not match. */
export type SchemaValidator = (this: unknown) => void;

export type SchemaLookup =
  | { readonly status: 'found'; readonly validate: SchemaValidator }
  /** A custom resource: no package here has a schema for its API group. */
  | { readonly status: 'no-schema' }
  /** The group is known, the apiVersion is not; `known` lists the group's apiVersions. */
  | { readonly status: 'unknown-api-version'; readonly known: readonly string[] }
  /** The apiVersion is known, the kind is not; `suggestion` is a close kind of that apiVersion, if any. */
  | { readonly status: 'unknown-kind'; readonly suggestion: string | undefined };

/** The packages of generated models, each laid out as `<package>/<apiVersion>/<Kind>`. */
const MODEL_PACKAGES = ['kubernetes-models', '@kubernetes-models/argo-cd'] as const;

const require = createRequire(import.meta.url);

interface ModelPackage {
  readonly name: string;
  readonly root: string;
  /** API groups it holds models for; "" is the core group (apiVersion `v1`). */
  readonly groups: ReadonlySet<string>;
  readonly apiVersions: ReadonlySet<string>;
}

let packages: readonly ModelPackage[] | undefined;
const lookups = new Map<string, Promise<SchemaLookup>>();

/** The schema of `kind` in `apiVersion`; each pair is looked up (and its model module loaded) once. */
export function lookUpSchema(apiVersion: string, kind: string): Promise<SchemaLookup> {
  const key = `${apiVersion} ${kind}`;
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = findSchema(apiVersion, kind);
    lookups.set(key, lookup);
  }
  return lookup;
}

async function findSchema(apiVersion: string, kind: string): Promise<SchemaLookup> {
  const group = apiGroup(apiVersion);
  packages ??= MODEL_PACKAGES.map(readModelPackage);
  const holder = packages.find((candidate) => candidate.groups.has(group));
  if (!holder) return { status: 'no-schema' };
  if (!holder.apiVersions.has(apiVersion)) {
    const known = [...holder.apiVersions].filter((candidate) => (group === '' ? !candidate.includes('/') : candidate.startsWith(`${group}/`)));
    return { status: 'unknown-api-version', known: known.sort() };
  }
  // The kind becomes part of a module path: only a plain identifier may get that far.
  const model = /^[A-Z][A-Za-z0-9]*$/.test(kind) ? await importModel(holder.name, apiVersion, kind) : undefined;
  if (!model) return { status: 'unknown-kind', suggestion: closestMatch(kind, modelNames(holder.root, apiVersion)) };
  return { status: 'found', validate: model.prototype.validate };
}

/** The model class of `kind`, or undefined when the package has none (a type-only module is not a model). */
async function importModel(packageName: string, apiVersion: string, kind: string) {
  let module: Record<string, unknown>;
  try {
    module = (await import(`${packageName}/${apiVersion}/${kind}`)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const model = module[kind];
  if (typeof model !== 'function') return undefined;
  const statics = model as { kind?: unknown; apiVersion?: unknown; prototype?: { validate?: unknown } };
  if (statics.kind !== kind || statics.apiVersion !== apiVersion || typeof statics.prototype?.validate !== 'function') return undefined;
  return model as unknown as { prototype: { validate: SchemaValidator } };
}

/** Groups and apiVersions a model package holds, read from its `exports` map (`./apps/v1`, `./v1`, ...). */
function readModelPackage(name: string): ModelPackage {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = require(manifestPath) as { exports: Record<string, unknown> };
  const groups = new Set<string>();
  const apiVersions = new Set<string>();
  for (const key of Object.keys(manifest.exports)) {
    if (!key.startsWith('./') || key.includes('*') || key === './package.json') continue;
    const parts = key.slice(2).split('/');
    if (parts.length === 2) {
      groups.add(parts[0]!);
      apiVersions.add(parts.join('/'));
    } else if (/^v[0-9]+((alpha|beta)[0-9]+)?$/.test(parts[0]!)) {
      groups.add('');
      apiVersions.add(parts[0]!);
    }
  }
  return { name, root: path.dirname(manifestPath), groups, apiVersions };
}

/** Names of the modules of one apiVersion, for "did you mean" hints. */
function modelNames(root: string, apiVersion: string): string[] {
  try {
    return readdirSync(path.join(root, apiVersion))
      .filter((file) => file.endsWith('.mjs') && file !== 'index.mjs')
      .map((file) => file.slice(0, -'.mjs'.length));
  } catch {
    return [];
  }
}
