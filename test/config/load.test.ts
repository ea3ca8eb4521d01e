import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.ts';
import { problems } from '../support/config-problems.ts';
import { exampleWorkspace, REPO_ROOT, tempDir } from '../support/workspace.ts';

const digest = (digit: string) => `sha256:${digit.repeat(64)}`;

/** A valid configuration with one service; `services` and `extra` replace parts of it. */
function config({ services, extra = '' }: { services?: string; extra?: string } = {}): string {
  return `app: shop
services:
${
  services ??
  `  - name: api
    image: ghcr.io/acme/api
    port: 8080
    healthPath: /healthz`
}
environments:
  dev:
    imageTag: main
  staging:
    services:
      api: { digest: "${digest('a')}" }
  prod:
    services:
      api: { digest: "${digest('b')}" }
${extra}`;
}

describe('parseConfig', () => {
  it('accepts the bundled example and fills in the defaults', async () => {
    const loaded = await loadConfig(path.join(REPO_ROOT, 'dynenv.yaml'));
    expect(loaded.app).toBe('checkout');
    expect(loaded.services.map((service) => service.name)).toEqual(['api', 'web', 'worker']);
    expect(loaded.services[1]).toMatchObject({
      port: 3000,
      ingress: true,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    });
    expect(loaded.services[2]!.ingress).toBe(false);
    expect(loaded.environments.preview.replicas).toBe(1);
    expect(loaded.repository).toEqual({ url: 'https://github.com/example-org/checkout.git', branch: 'main', path: 'gitops' });
  });

  it('turns numbers and booleans in env maps into strings, as a container needs them', () => {
    const parsed = parseConfig(
      config({ services: `  - name: api\n    image: ghcr.io/acme/api\n    healthCommand: [x]\n    env: { PORT: 8080, DEBUG: true }` }),
    );
    expect(parsed.services[0]!.env).toEqual({ PORT: '8080', DEBUG: 'true' });
  });

  const cases: Array<{ name: string; text: string; expected: string[] }> = [
    {
      name: 'a port that is not a number',
      text: config({
        services: `  - name: api\n    image: ghcr.io/acme/api\n    port: 8080\n    healthPath: /\n  - name: web\n    image: ghcr.io/acme/web\n    port: http\n    healthPath: /`,
      }),
      expected: ['dynenv.yaml: services[1].port: expected an integer 1-65535, got "http"'],
    },
    {
      name: 'a port out of range',
      text: config({ services: `  - name: api\n    image: ghcr.io/acme/api\n    port: 70000\n    healthPath: /` }),
      expected: ['dynenv.yaml: services[0].port: expected an integer 1-65535, got 70000'],
    },
    {
      name: 'an unknown key, with the key it probably meant',
      text: config({ services: `  - name: api\n    image: ghcr.io/acme/api\n    prot: 8080\n    healthCommand: [x]` }),
      expected: ['dynenv.yaml: services[0].prot: unknown key (did you mean "port"?)'],
    },
    {
      name: 'an unknown key with no close match',
      text: config({ extra: 'colour: blue\n' }),
      expected: ['dynenv.yaml: colour: unknown key (known keys: app, owner, repository, services, environments, preview, argocd, access, cluster, external)'],
    },
    {
      name: 'a missing required field',
      text: config({ services: `  - name: api\n    healthCommand: [x]` }),
      expected: ['dynenv.yaml: services[0].image: missing, expected an image such as "ghcr.io/acme/api" or "redis:7.4"'],
    },
    {
      name: 'an image with a tag (a third-party image, which environments do not pin)',
      text: config({ services: `  - name: api\n    image: ghcr.io/acme/api:1.0\n    healthCommand: [x]` }),
      expected: ['staging', 'prod'].map(
        (env) =>
          `dynenv.yaml: environments.${env}.services.api.digest: api runs a third-party image as written in every environment ` +
          '(ghcr.io/acme/api:1.0): pin it in its "image" instead, or set builtHere: true if this repository builds it',
      ),
    },
    {
      name: 'a malformed digest',
      text: config().replace(digest('b'), 'sha256:abc'),
      expected: [
        'dynenv.yaml: environments.prod.services.api.digest: expected an image digest "sha256:" followed by 64 lower-case hex digits, got "sha256:abc"',
      ],
    },
    {
      name: 'a service name that is not a DNS label',
      text: config({ services: `  - name: Api_1\n    image: ghcr.io/acme/api\n    healthCommand: [x]` }),
      expected: [
        'dynenv.yaml: services[0].name: expected a lower-case name of letters, digits and "-", starting with a letter, got "Api_1"',
        // The environments still name "api": that is said once per environment, and the pins "Api_1" lacks
        // there follow from it, so they are not listed.
        'dynenv.yaml: environments.staging.services.api: no service named "api" (did you mean "Api_1"?)',
        'dynenv.yaml: environments.prod.services.api: no service named "api" (did you mean "Api_1"?)',
      ],
    },
    {
      name: 'a namespace longer than 63 characters',
      text: config({ extra: `  preview:\n    namespace: ${'n'.repeat(64)}\n` }),
      expected: [`dynenv.yaml: environments.preview.namespace: expected at most 63 characters, got "${'n'.repeat(64)}"`],
    },
    {
      name: 'a pull-request pattern the plugin server cannot run in linear time (lookahead)',
      text: config({ extra: 'preview:\n  pullRequests:\n    titleMatch: "^(?!WIP)"\n    branchMatch: "feature/("\n' }),
      expected: [
        'dynenv.yaml: preview.pullRequests.branchMatch: expected an RE2 regular expression: it is not a valid regular expression (missing closing ): `feature/(`)',
        "dynenv.yaml: preview.pullRequests.titleMatch: expected an RE2 regular expression: it is not a valid regular expression (invalid or unsupported Perl syntax: `(?!`): lookaround and backreferences are not supported (RE2 syntax, as in Argo CD's pull-request generator)",
      ],
    },
    {
      name: 'a memory quantity in an unknown unit',
      text: config({ services: `  - name: api\n    image: ghcr.io/acme/api\n    healthCommand: [x]\n    resources:\n      limits: { memory: 1GB }` }),
      expected: ['dynenv.yaml: services[0].resources.limits.memory: expected a memory quantity such as "256Mi" or "1Gi", got "1GB"'],
    },
    {
      name: 'an environment variable with an invalid name',
      text: config({ services: `  - name: api\n    image: ghcr.io/acme/api\n    healthCommand: [x]\n    env: { "LOG-LEVEL": debug, "has space": x }` }),
      expected: [
        'dynenv.yaml: services[0].env.LOG-LEVEL: expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got "LOG-LEVEL"',
        'dynenv.yaml: services[0].env["has space"]: expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got "has space"',
      ],
    },
    {
      name: 'several problems at once, every one listed',
      text: config({ services: `  - name: api\n    image: ghcr.io/acme/api\n    port: 0\n    healthPath: healthz\n    ingress: yes` }),
      expected: [
        'dynenv.yaml: services[0].port: expected an integer 1-65535, got 0',
        'dynenv.yaml: services[0].healthPath: expected a path starting with "/", got "healthz"',
        'dynenv.yaml: services[0].ingress: expected true or false, got "yes"',
      ],
    },
    {
      name: 'duplicate service names',
      text: config({
        services: `  - name: api\n    image: ghcr.io/acme/api\n    healthCommand: [x]\n  - name: api\n    image: ghcr.io/acme/api2\n    healthCommand: [x]`,
      }),
      expected: ['dynenv.yaml: services[1].name: duplicate service name: another service is named "api" too'],
    },
    {
      name: 'a health path without a port, and no readiness check at all',
      text: config({ services: `  - name: api\n    image: ghcr.io/acme/api\n    healthPath: /\n  - name: worker\n    image: ghcr.io/acme/worker` }).replace(
        /environments:[\s\S]*/,
        `environments:\n  dev: { imageTag: main }\n  staging:\n    services:\n      api: { digest: "${digest('a')}" }\n      worker: { digest: "${digest('a')}" }\n  prod:\n    services:\n      api: { digest: "${digest('b')}" }\n      worker: { digest: "${digest('b')}" }\n`,
      ),
      expected: [
        'dynenv.yaml: services[0].healthPath: needs "port" or "ports" on the same service',
        'dynenv.yaml: services[1]: needs a readiness check: set "healthPath" (with a port), "healthCommand" or "probes.readiness" ' +
          '(probes.readiness: false for a service that serves no traffic)',
      ],
    },
    {
      name: 'prod without a digest, and an override of a service that does not exist',
      text: config().replace(`      api: { digest: "${digest('b')}" }`, '      apy: { replicas: 2 }'),
      expected: [
        // The missing pin of "api" follows from the typo: one mistake, one problem.
        'dynenv.yaml: environments.prod.services.apy: no service named "apy" (did you mean "api"?)',
      ],
    },
    {
      name: 'dev with neither a tag nor a digest',
      text: config().replace('    imageTag: main\n', '    replicas: 1\n'),
      expected: ['dynenv.yaml: environments.dev: no image reference for service "api": set "imageTag" or "services.api.digest"'],
    },
    {
      name: 'two environments sharing a namespace',
      text: config({ extra: '  preview:\n    namespace: shop\n' }).replace('  dev:\n', '  dev:\n    namespace: shop\n'),
      expected: ['dynenv.yaml: environments.preview.namespace: same namespace as environments.dev.namespace: environments must not share a namespace'],
    },
    {
      name: "an app name too long for its pull requests' fence Applications (issue 15: names are app-prefixed)",
      text: config().replace('app: shop', `app: ${'a'.repeat(44)}`),
      expected: [
        `dynenv.yaml: app: expected at most 43 characters: a pull request's fence Application would be "${'a'.repeat(44)}-pr-9999999999-fence" ` +
          '(64 characters), and Argo CD writes Application names into 63-character labels',
      ],
    },
    {
      name: 'the removed preview.prefixApplicationName (Application names are always app-prefixed)',
      text: config({ extra: 'preview:\n  prefixApplicationName: true\n' }),
      expected: [
        'dynenv.yaml: preview.prefixApplicationName: unknown key (known keys: host, tls, imageTag, namespacePrefix, ttlHours, keepLabel, requeueAfterSeconds, pullRequests, data, database, smokeTest)',
      ],
    },
    {
      name: 'a namespace prefix that leaves no room for every pull-request number',
      text: config({ extra: `preview:\n  namespacePrefix: ${'p'.repeat(50)}\n` }),
      expected: [`dynenv.yaml: preview.namespacePrefix: expected at most 49 characters, got "${'p'.repeat(50)}"`],
    },
    {
      name: 'invalid YAML, with line and column',
      text: 'app: shop\nservices: [\n',
      // The line and column are in the message users read: test/config/problem-location.test.ts
      expected: ['dynenv.yaml: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    },
    {
      name: 'a duplicate key',
      text: 'app: shop\napp: again\n',
      expected: ['dynenv.yaml: invalid YAML: Map keys must be unique'],
    },
    {
      name: 'an empty file',
      text: '',
      expected: ['dynenv.yaml: app: missing, expected a name', 'dynenv.yaml: services: missing, expected a list of services'],
    },
  ];

  it.each(cases)('reports $name', ({ text, expected }) => {
    expect(problems(text)).toEqual(expected);
  });

  it('puts every problem in the message, one per line', () => {
    expect(() => parseConfig('')).toThrow('2 problems:\n  dynenv.yaml: app: missing, expected a name\n  dynenv.yaml: services: missing');
  });
});

describe('loadConfig', () => {
  it('names the file it was given in every message', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'app: 42\nservices: []\n');
    await expect(loadConfig(file)).rejects.toThrow(`${path.relative(process.cwd(), file)}:1:1: app: expected a name, got 42`);
  });

  it('says when the file does not exist', async () => {
    const dir = await exampleWorkspace();
    const missing = path.join(dir, 'nope.yaml');
    await expect(loadConfig(missing)).rejects.toThrow(
      `${missing}: cannot read the configuration: no such file: run dynenv in the folder that holds it, or name it with --config FILE`,
    );
  });
});
