/**
 * GitHub's official OpenAPI description (@octokit/openapi) as a validator, so that the fake answers exactly what
 * GitHub documents and accepts exactly what GitHub accepts. Every response the fake sends and every request body
 * it receives goes through here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  components: { responses: Record<string, OpenApiResponse> };
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

// Parsing the 13 MB description and compiling a schema takes a few hundred milliseconds: do it once, on demand.
function load(): { ajv: Ajv; document: OpenApiDocument } {
  if (!ajv || !document) {
    document = JSON.parse(
      readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
    ) as OpenApiDocument;
    // strict: false because the description uses OpenAPI keywords (nullable, example, discriminator) and
    // vendor formats (repo.nwo) that are not JSON Schema; every standard keyword and format is still checked.
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats.default(ajv);
    ajv.addFormat('repo.nwo', /^[\w.-]+\/[\w.-]+$/);
    ajv.addSchema(document, DOCUMENT_ID);
  }
  return { ajv, document };
}

function operation({ path, method }: OperationRef): OpenApiOperation {
  const found = load().document.paths[path]?.[method];
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
  const base =
    sharedName === undefined
      ? `paths/${pointer(op.path)}/${op.method}/responses/${status}`
      : `components/responses/${pointer(sharedName)}`;
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
