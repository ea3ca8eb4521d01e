/**
 * GitHub's official OpenAPI description (@octokit/openapi) as a validator, so that the fake answers exactly what
 * GitHub documents and accepts exactly what GitHub accepts. Every response the fake sends and every request body
 * it receives goes through here.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** An operation of the REST API, named as the OpenAPI description names it. */
export interface OperationRef {
  /** e.g. `/repos/{owner}/{repo}/pulls` */
  readonly path: string;
  readonly method: 'get' | 'post' | 'patch' | 'put' | 'delete';
}

const require = createRequire(import.meta.url);
const DOCUMENT_ID = 'github-openapi';

let ajv: Ajv | undefined;
let document: OpenApiDocument | undefined;
const compiled = new Map<string, ValidateFunction>();

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, Record<string, unknown>> & { responses: Record<string, OpenApiResponse> };
}

interface OpenApiResponse {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}

interface OpenApiOperation {
  operationId: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, OpenApiResponse>;
}

/**
 * The description, cut down to the paths the fake has been asked about and everything they reference. Parsing
 * the whole 13 MB description and handing it to Ajv takes seconds on a loaded machine, in every test file that
 * starts a fake; the cut is made once per version of @octokit/openapi (grown when a new path is asked about) and
 * kept in node_modules/.cache. Nothing that a kept path's schemas reach is left out.
 */
function load(path?: string): { ajv: Ajv; document: OpenApiDocument } {
  if (!ajv || !document || (path !== undefined && !(path in document.paths))) {
    document = descriptionCovering(path);
    // strict: false because the description uses OpenAPI keywords (nullable, example, discriminator) and
    // vendor formats (repo.nwo) that are not JSON Schema; every standard keyword and format is still checked.
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats.default(ajv);
    ajv.addFormat('repo.nwo', /^[\w.-]+\/[\w.-]+$/);
    ajv.addSchema(document, DOCUMENT_ID);
    compiled.clear();
  }
  return { ajv, document };
}

const DESCRIPTION = require.resolve('@octokit/openapi/generated/api.github.com.json');
const OPENAPI_VERSION = (require('@octokit/openapi/package.json') as { version: string }).version;
const CACHE = join(dirname(require.resolve('@octokit/openapi/package.json')), '../../.cache/dynenv-fake-github', `openapi-${OPENAPI_VERSION}-cut1.json`);
/** The paths the fake serves, cut in from the start. */
const FAKE_PATHS = [
  '/repos/{owner}/{repo}/pulls',
  '/repos/{owner}/{repo}/pulls/{pull_number}',
  '/repos/{owner}/{repo}',
  '/app/installations/{installation_id}/access_tokens',
];

function descriptionCovering(path: string | undefined): OpenApiDocument {
  let cached: OpenApiDocument | undefined;
  try {
    cached = JSON.parse(readFileSync(CACHE, 'utf8')) as OpenApiDocument;
  } catch {
    // not cut yet
  }
  if (cached && (path === undefined || path in cached.paths)) return cached;
  const full = JSON.parse(readFileSync(DESCRIPTION, 'utf8')) as OpenApiDocument;
  const paths = new Set([...FAKE_PATHS, ...Object.keys(cached?.paths ?? {}), ...(path === undefined ? [] : [path])]);
  const cut = cutDescription(
    full,
    [...paths].filter((p) => p in full.paths),
  );
  // Written whole under another name, then renamed: a test file reading it never sees half of it.
  mkdirSync(dirname(CACHE), { recursive: true });
  const temporary = `${CACHE}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(cut));
  renameSync(temporary, CACHE);
  return cut;
}

/** The given paths of `full`, with every component they reference, directly or through other components. */
function cutDescription(full: OpenApiDocument, paths: readonly string[]): OpenApiDocument {
  const cut: OpenApiDocument = { paths: {}, components: { responses: {} } };
  // schemaProblems('basic-error'): the answer to any failure, whichever path asked.
  const pending: unknown[] = [{ $ref: '#/components/schemas/basic-error' }];
  for (const p of paths) {
    cut.paths[p] = full.paths[p]!;
    pending.push(full.paths[p]);
  }
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key !== '$ref' || typeof value !== 'string' || !value.startsWith('#/components/')) {
          pending.push(value);
          continue;
        }
        // '#/components/<section>/<name>[/...]': the whole component comes along.
        const [section = '', name = ''] = value
          .slice('#/components/'.length)
          .split('/')
          .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
        const kept = (cut.components[section] ??= {});
        if (!(name in kept)) {
          kept[name] = full.components[section]?.[name];
          pending.push(kept[name]);
        }
      }
    }
  }
  return cut;
}

function operation({ path, method }: OperationRef): OpenApiOperation {
  const found = load(path).document.paths[path]?.[method];
  if (!found) throw new Error(`GitHub's OpenAPI description has no operation ${method.toUpperCase()} ${path}`);
  return found;
}

function pointer(...segments: string[]): string {
  return segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');
}

function validator(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = load().ajv.compile({ $ref: `${DOCUMENT_ID}#/${ref}` });
    compiled.set(ref, validate);
  }
  return validate;
}

function describeErrors(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
}

/** Problems of `body` as an instance of the named component schema (e.g. `basic-error`); empty when it conforms. */
export function schemaProblems(name: string, body: unknown): string[] {
  const validate = validator(`components/schemas/${pointer(name)}`);
  return validate(body) ? [] : describeErrors(validate);
}

/**
 * Problems of `body` as the `status` answer of `op`, per GitHub's description; empty when it conforms.
 * GitHub answers any operation with errors it does not list (401, 403, 404, 429, 5xx): those, and answers of
 * unknown routes, must be GitHub's `basic-error`. Any other undocumented status is a problem; so is a body on a
 * status documented without one.
 */
export function responseProblems(op: OperationRef | undefined, status: number, body: unknown): string[] {
  const declared = op ? operation(op).responses[String(status)] : undefined;
  if (!declared || !op) {
    if (status >= 400) return schemaProblems('basic-error', body);
    return [`${op ? `${op.method.toUpperCase()} ${op.path}` : 'an unknown route'} does not document status ${status}`];
  }
  // Shared responses (not_modified, validation_failed, ...) live under components/responses.
  const sharedName = declared.$ref?.replace('#/components/responses/', '');
  const response = sharedName === undefined ? declared : load().document.components.responses[sharedName];
  const base = sharedName === undefined ? `paths/${pointer(op.path)}/${op.method}/responses/${status}` : `components/responses/${pointer(sharedName)}`;
  if (!response?.content?.['application/json']?.schema) {
    return body === undefined ? [] : [`status ${status} of ${op.method.toUpperCase()} ${op.path} has no body`];
  }
  const validate = validator(`${base}/content/${pointer('application/json')}/schema`);
  return validate(body) ? [] : describeErrors(validate);
}

/** Problems of `body` as the JSON request body of `op`, per GitHub's description; empty when it conforms. */
export function requestBodyProblems(op: OperationRef, body: unknown): string[] {
  if (!operation(op).requestBody?.content?.['application/json']) {
    return [`${op.method.toUpperCase()} ${op.path} takes no JSON body`];
  }
  const validate = validator(`paths/${pointer(op.path)}/${op.method}/requestBody/content/${pointer('application/json')}/schema`);
  return validate(body) ? [] : describeErrors(validate);
}

/** The operationId GitHub gives `op` (e.g. `pulls/list`), to check that the fake implements what it claims. */
export function operationId(op: OperationRef): string {
  return operation(op).operationId;
}
