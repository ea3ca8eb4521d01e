/**
 * Every object against its official schema (kubernetes-models, @kubernetes-models/argo-cd), with unknown fields
 * rejected. A custom resource without a schema here is a warning: the tree may well be right, but nothing
 * checked its fields.
 */
import { article, formatPath, showValue } from '../../config/load.ts';
import type { KubernetesObject } from '../../gitops/kustomize-build.ts';
import { closestMatch } from '../../../contract/suggest.ts';
import { finding, type Finding } from '../finding.ts';
import { valueAt } from '../object-access.ts';
import type { Scope } from '../render.ts';
import { type Rule, scopeByScope } from '../rule.ts';
import { isSchemaAddition } from '../schema-additions.ts';
import { lookUpSchema } from '../schema-catalog.ts';
import { checkAgainstSchema, type SchemaViolation, type UnknownField } from '../schema-validation.ts';

// Where a hint lists the known fields, it stops listing past this many (a PodSpec has over forty).
const MAX_LISTED_FIELDS = 12;

export const schemaRule: Rule = {
  id: 'schema',
  summary: 'every object matches the official schema of its kind, with no unknown field',
  check: scopeByScope(checkScope),
};

async function checkScope(scope: Scope): Promise<Finding[]> {
  const findings: Finding[] = [];
  const withoutSchema = new Map<string, number>();
  for (const object of scope.objects) {
    const at = { scope: scope.name, object };
    const type = `${object.apiVersion} ${object.kind}`;
    const lookup = await lookUpSchema(String(object.apiVersion), String(object.kind));
    switch (lookup.status) {
      case 'no-schema':
        withoutSchema.set(type, (withoutSchema.get(type) ?? 0) + 1);
        break;
      case 'unknown-api-version':
        findings.push(
          finding(
            'schema',
            { ...at, path: ['apiVersion'] },
            `"${object.apiVersion}" is not an apiVersion Kubernetes serves (its group serves ${lookup.known.join(', ')})`,
            `set apiVersion to the one that serves ${object.kind}, e.g. ${lookup.known[0]}`,
          ),
        );
        break;
      case 'unknown-kind':
        findings.push(
          finding(
            'schema',
            { ...at, path: ['kind'] },
            `${object.apiVersion} has no kind "${object.kind}"`,
            lookup.suggestion ? `did you mean "${lookup.suggestion}"? Correct the kind` : 'correct the kind, or the apiVersion it belongs to',
          ),
        );
        break;
      case 'found': {
        const result = checkAgainstSchema(object, lookup.validate);
        findings.push(...result.violations.flatMap((violation) => describeViolation(violation, result.violations, object, scope.name)));
        findings.push(
          ...result.unknownFields
            .filter((field) => !isSchemaAddition(String(object.apiVersion), String(object.kind), field.path))
            .map((field) => describeUnknownField(field, object, scope.name)),
        );
        break;
      }
    }
  }
  for (const [type, count] of withoutSchema) {
    const [apiVersion, kind] = type.split(' ') as [string, string];
    findings.push(
      finding(
        'schema',
        { scope: scope.name, object: { kind, metadata: {} } },
        `no schema for ${apiVersion} ${kind} (a custom resource): the fields of its ${count} object(s) were not checked`,
        'make sure its CustomResourceDefinition is installed in the cluster before Argo CD syncs',
        'warning',
      ),
    );
  }
  return findings;
}

/**
 * One finding per violation. ajv reports a value that matches no branch of an `anyOf` (an int-or-string port)
 * as one error per branch plus the `anyOf` itself: those become a single finding at the `anyOf`.
 */
function describeViolation(violation: SchemaViolation, all: readonly SchemaViolation[], object: KubernetesObject, scope: string): Finding[] {
  const at = { scope, object, path: violation.path };
  const where = formatPath(violation.path);
  const branches = all.filter((other) => other !== violation && formatPath(other.path) === where);
  const schemaName = `${object.apiVersion} ${object.kind}`;
  const got = `got ${showValue(valueAt(object, violation.path))}`;
  switch (violation.keyword) {
    case 'required': {
      const field = String(violation.params.missingProperty);
      const path = [...violation.path, field];
      return [finding('schema', { ...at, path }, `required field "${field}" is missing`, `add ${formatPath(path)} (${schemaName} requires it)`)];
    }
    case 'type': {
      if (branches.some((other) => other.keyword === 'anyOf' || other.keyword === 'oneOf')) return [];
      const expected = article(String(violation.params.type));
      return [finding('schema', at, `expected ${expected}, ${got}`, `write ${expected} here`)];
    }
    case 'anyOf':
    case 'oneOf': {
      const types = branches.filter((other) => other.keyword === 'type').map((other) => article(String(other.params.type)));
      const expected = types.length ? types.join(' or ') : `a value matching one of the schema's alternatives`;
      return [finding('schema', at, `expected ${expected}, ${got}`, `write ${expected} here`)];
    }
    case 'enum': {
      const allowed = (violation.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ');
      return [finding('schema', at, `expected one of ${allowed}, ${got}`, 'use one of the allowed values (they are case-sensitive)')];
    }
    case 'format': {
      const format = String(violation.params.format);
      return [finding('schema', at, `expected a value of format "${format}", ${got}`, `write a valid ${format} value`)];
    }
    default: {
      const problem = violation.message ?? `fails the schema's "${violation.keyword}" rule`;
      return [finding('schema', at, `${problem}, ${got}`, `correct the value to match the ${schemaName} schema`)];
    }
  }
}

function describeUnknownField(field: UnknownField, object: KubernetesObject, scope: string): Finding {
  const key = String(field.path.at(-1));
  const suggestion = closestMatch(key, field.known);
  const listed = field.known.length <= MAX_LISTED_FIELDS ? ` (known fields here: ${field.known.join(', ')})` : '';
  return finding(
    'unknown-field',
    { scope, object, path: field.path },
    `unknown field "${key}": the ${object.apiVersion} ${object.kind} schema has no such field here, so the API server would drop or reject it`,
    suggestion ? `did you mean "${suggestion}"? Rename it` : `remove it, or move it where it belongs${listed}`,
  );
}
