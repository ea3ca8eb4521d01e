import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.ts';

type Json = Record<string, unknown>;

// Keywords whose value is data (a default, an example), not a schema: nothing in them is a property.
const DATA_KEYWORDS = new Set(['default', 'const', 'enum', 'examples']);

/** Every object property in `schema`, at any depth (nested objects, array items, map values, union members). */
function properties(schema: unknown, at = '#'): Array<{ path: string; schema: Json }> {
  if (typeof schema !== 'object' || schema === null) return [];
  if (Array.isArray(schema)) return schema.flatMap((item, index) => properties(item, `${at}/${index}`));
  const found: Array<{ path: string; schema: Json }> = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(keyword)) continue;
    if (keyword === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, property] of Object.entries(value)) {
        found.push({ path: `${at}/properties/${name}`, schema: property as Json }, ...properties(property, `${at}/properties/${name}`));
      }
    } else {
      found.push(...properties(value, `${at}/${keyword}`));
    }
  }
  return found;
}

/** The property schema at `path`, a dotted path through `properties` (`[]` steps into array items). */
function property(path: string): Json {
  let schema: Json = configJsonSchema();
  for (const step of path.split('.')) {
    schema = step === '[]' ? (schema.items as Json) : ((schema.properties as Json)[step] as Json);
    expect(schema, path).toBeDefined();
  }
  return schema;
}

describe('the JSON Schema of dynenv.yaml', () => {
  const all = properties(configJsonSchema());

  it('describes every property, so that editors document each field on hover', () => {
    expect(all.length).toBeGreaterThan(150);
    const undescribed = all.filter(({ schema }) => typeof schema.description !== 'string' || schema.description.trim() === '');
    expect(undescribed.map(({ path }) => path)).toEqual([]);
  });

  it('writes every description as sentences that give the default (or say the field is required), not as doc-comment tags', () => {
    const wellFormed = (description: string) => !description.includes('@default') && /[.)]$/.test(description) && /Default: |Required/.test(description);
    const malformed = all.filter(({ schema: { description } }) => typeof description === 'string' && !wellFormed(description));
    expect(malformed.map(({ path, schema }) => `${path}: ${String(schema.description)}`)).toEqual([]);
  });

  it("keeps a field's description through .optional() and .default() and through maps, lists and unions", () => {
    expect(property('environments.prod.replicas')).toMatchObject({ default: 1, description: 'Replicas of every service. Default: 1.' });
    expect(property('services.[].port').description).toBe(
      'Shorthand for one HTTP port: the container listens on it, and the Service exposes it as "http" on port 80 (callers write ' +
        '`http://<service>`). Use `ports` for anything else. Default: none (no Service).',
    );
    expect(property('services.[].ports.[].port').description).toBe(
      'Port the Service exposes, which callers address ("cartservice:7070"). Default: the container port.',
    );
    expect(property('argocd.plugin.port')).toMatchObject({
      default: 4355,
      description: 'Port the server listens on (its PORT variable) and its Service exposes. Default: 4355.',
    });
    const override = (property('environments.staging.services').additionalProperties as Json).properties as Json;
    expect((override.digest as Json).description).toMatch(
      /^Image digest to pin when the overlay has none yet\. .* Required in staging and prod\. Default: none\.$/,
    );
    const budget = (property('environments.prod.disruptionBudget').anyOf as Json[]).find((member) => member.type === 'object');
    expect(((budget?.properties as Json).maxUnavailable as Json).description).toBe(
      'Pods of one service that a voluntary disruption (node drain) may take down at once. Default: none.',
    );
  });

  it('describes a shared schema per field, not once for every use', () => {
    expect(property('external.secrets').description).toBe('Names of Secrets that exist outside gitops/. Default: [].');
    expect(property('external.configMaps').description).toBe('Names of ConfigMaps that exist outside gitops/. Default: [].');
  });
});
