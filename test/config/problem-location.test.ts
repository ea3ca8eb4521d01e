/**
 * What a user reads when dynenv.yaml is wrong: the file with the line and column of the field, services (and
 * other named list items) by name, one problem per mistake, "did you mean" for environment and service names,
 * quantities as Kubernetes reads them, and no validator vocabulary.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ConfigError, parseConfig } from '../../src/config/load.ts';
import { EXAMPLE_TEXT } from '../support/example.ts';

/** The lines the example is rejected with once `replace` changed its text. */
function rejection(text: string): string[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

/** The 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in the text: ${needle}`);
  return text.slice(0, at).split('\n').length;
}

function edited(from: string, to: string): string {
  if (!EXAMPLE_TEXT.includes(from)) throw new Error(`not in the example: ${from}`);
  return EXAMPLE_TEXT.replace(from, to);
}

describe('where a problem is', () => {
  it('names a service by its name and points at the line and column of the field', () => {
    const text = edited('    port: 3000', '    port: http');
    expect(rejection(text)).toEqual([`dynenv.yaml:${lineOf(text, 'port: http')}:5: services.web.port: expected an integer 1-65535, got "http"`]);
  });

  it('points at an unknown key itself, with the key it probably is', () => {
    const text = edited('    healthPath: /healthz', '    heathPath: /healthz');
    expect(rejection(text)).toEqual([`dynenv.yaml:${lineOf(text, 'heathPath')}:5: services.api.heathPath: unknown key (did you mean "healthPath"?)`]);
  });

  it('points at the enclosing field when the field is missing', () => {
    const text = edited('  - name: worker\n    image: ghcr.io/example-org/checkout-worker\n', '  - name: worker\n');
    expect(rejection(text)).toEqual([
      `dynenv.yaml:${lineOf(text, '- name: worker')}:5: services.worker.image: missing, expected an image such as "ghcr.io/acme/api" or "redis:7.4"`,
    ]);
  });

  it('points at a nested field of an environment', () => {
    const text = edited('    replicas: 3', '    replicas: -1');
    expect(rejection(text)).toEqual([`dynenv.yaml:${lineOf(text, 'replicas: -1')}:5: environments.prod.replicas: expected an integer 0-1000, got -1`]);
  });

  it('gives the line and column of a YAML syntax error', () => {
    expect(rejection('app: shop\nservices: [\n')).toEqual([
      'dynenv.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('keeps the index of a list item that has no name, or a name another item has too', () => {
    const text = edited('  - name: worker', '  - name: web');
    expect(rejection(text)[0]).toBe(
      `dynenv.yaml:${lineOf(text, 'name: web\n    image: ghcr.io/example-org/checkout-worker')}:5: services[2].name: duplicate service name: another service is named "web" too`,
    );
  });
});

describe('one mistake, one problem', () => {
  it('reports a misspelled top-level key alone, not the key it was meant to be as missing', () => {
    const text = edited('\nservices:\n', '\nservics:\n');
    expect(rejection(text)).toEqual([`dynenv.yaml:${lineOf(text, 'servics:')}:1: servics: unknown key (did you mean "services"?)`]);
  });

  it('suggests prod for production and leaves out what prod then lacks', () => {
    const text = edited('  prod:\n', '  production:\n');
    expect(rejection(text)).toEqual([`dynenv.yaml:${lineOf(text, 'production:')}:3: environments.production: unknown key (did you mean "prod"?)`]);
  });

  it.each([
    ['stage', 'staging'],
    ['development', 'dev'],
    ['previews', 'preview'],
    ['prodution', 'prod'],
  ])('suggests the environment for %s', (typed, meant) => {
    const text = edited(`  ${meant}:\n`, `  ${typed}:\n`);
    expect(rejection(text)).toEqual([`dynenv.yaml:${lineOf(text, `  ${typed}:`)}:3: environments.${typed}: unknown key (did you mean "${meant}"?)`]);
  });

  it('suggests a service name an environment misspells, and leaves out the pin that service then lacks', () => {
    const text = edited('      web: { digest: "sha256:9a8b', '      wbe: { digest: "sha256:9a8b');
    expect(rejection(text)).toEqual([`dynenv.yaml:${lineOf(text, 'wbe:')}:7: environments.staging.services.wbe: no service named "wbe" (did you mean "web"?)`]);
  });

  it('leaves out a check of the enclosing object that names the key a typo was meant to be', () => {
    const text = edited('    imageTag: main\n', '    imagTag: main\n');
    expect(rejection(text)).toEqual([`dynenv.yaml:${lineOf(text, 'imagTag')}:5: environments.dev.imagTag: unknown key (did you mean "imageTag"?)`]);
  });

  it('still lists unrelated problems beside a typo', () => {
    const text = edited('\nservices:\n', '\nservics:\n').replace('    replicas: 3', '    replicas: -1');
    expect(rejection(text)).toHaveLength(2);
  });
});

describe('quantities', () => {
  function resourcesOfApi(requests: Record<string, unknown>) {
    const data = parse(EXAMPLE_TEXT) as { services: Array<{ resources?: unknown }> };
    data.services[0]!.resources = { requests, limits: { memory: '256Mi' } };
    return parseConfig(stringify(data)).services[0]!.resources.requests;
  }

  it('accepts YAML numbers as Kubernetes does, as the quantity they stand for', () => {
    expect(resourcesOfApi({ cpu: 1, memory: 134217728 })).toEqual({ cpu: '1', memory: '134217728' });
    expect(resourcesOfApi({ cpu: 0.5 })).toEqual({ cpu: '0.5' });
    expect(resourcesOfApi({ cpu: 0.25, memory: '128Mi' })).toEqual({ cpu: '0.25', memory: '128Mi' });
  });

  it('refuses a number that is no quantity, naming the field', () => {
    const text = edited('requests: { cpu: 100m, memory: 128Mi }', 'requests: { cpu: -1, memory: 0.5 }');
    expect(rejection(text)).toEqual([
      `dynenv.yaml:${lineOf(text, 'cpu: -1')}:19: services.api.resources.requests.cpu: expected a CPU quantity such as "250m", "1" or 0.5, got -1`,
      `dynenv.yaml:${lineOf(text, 'memory: 0.5')}:28: services.api.resources.requests.memory: expected a memory quantity such as "256Mi" or "1Gi", got 0.5`,
    ]);
  });
});

describe('no validator vocabulary', () => {
  const JARGON = /\brecord\b|\bunion\b|invalid input|nonoptional|\bzod\b|\bliteral\b|discriminat|\bnan\b|expected .*\bobject\b|\barray\b|\btuple\b/i;

  it.each([
    ['an env map written as a list', '    env: { LOG_LEVEL: debug }', '    env: [LOG_LEVEL]'],
    ['TLS written as a word', '  tls: {}', '  tls: yes'],
    ['replicas as text', '    replicas: 2\n', '    replicas: two\n'],
    ['a list of services written as a map', '\nservices:\n  - name: api', '\nservices:\n  api:\n    name: api'],
    ['a probe that is a number', '    healthPath: /healthz', '    healthPath: /healthz\n    probes: { readiness: 3 }'],
    ['access groups as a word', '  developers: [checkout-developers]', '  developers: checkout-developers'],
    ['a webhook that is a list', '    webhook: { host: dynenv-hooks.example.com', '    webhook: [ { host: dynenv-hooks.example.com'],
  ])('%s', (_, from, to) => {
    let text = edited(from, to);
    if (to.includes('[ {')) text = text.replace('clusterIssuer: letsencrypt } }\n\naccess', 'clusterIssuer: letsencrypt } } ]\n\naccess');
    const found = rejection(text);
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) {
      expect(line).toMatch(/^dynenv\.yaml:\d+:\d+: [a-zA-Z]/);
      expect(line).not.toMatch(JARGON);
    }
  });
});
