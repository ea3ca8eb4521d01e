/**
 * Issue 10, finding 6: dynenv.yaml that is odd or hostile gets a clear error naming the field, or is carried
 * exactly; never "a bug in dynenv", never a variable silently dropped.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, parseConfig } from '../../src/config/load.ts';
import { MAX_CONFIGMAP_DATA_BYTES, MAX_ENV_VARIABLE_BYTES, secretLikeness } from '../../src/config/env-checks.ts';
import { synthesizeTree } from '../../src/gitops/tree.ts';
import { kustomizeBuild } from '../../src/gitops/kustomize-build.ts';
import { problems } from '../support/config-problems.ts';
import { objectAt } from '../support/example.ts';
import { dynenvInProcess as dynenv } from '../support/cli.ts';
import { tempDir } from '../support/workspace.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const digest = (digit: string) => `sha256:${digit.repeat(64)}`;

/** dynenv.yaml with one service `api` whose `env` is given as YAML flow or block text, and `extra` at the end. */
function withEnv(env: string, extra = ''): string {
  return `app: shop
services:
  - name: api
    image: ghcr.io/acme/api
    healthCommand: [x]
    env: ${env}
environments:
  dev: { imageTag: main }
  staging: { services: { api: { digest: "${digest('a')}" } } }
  prod: { services: { api: { digest: "${digest('b')}" } } }
${extra}`;
}

describe('environment variable names JavaScript objects treat specially', () => {
  it('regression: "__proto__" is refused by name instead of silently dropped', () => {
    expect(problems(withEnv('{ __proto__: polluted, LOG_LEVEL: info }'))).toEqual([
      'dynenv.yaml: services[0].env.__proto__: "__proto__" cannot name a variable: the tools that write the manifests refuse it as a key. Rename it',
    ]);
  });

  it('regression: "constructor", "toString" and "hasOwnProperty" reach the ConfigMaps (they crashed synth before)', async () => {
    const config = parseConfig(withEnv('{ constructor: a, toString: b, hasOwnProperty: c }').replace('  prod: {', '  prod: { env: { valueOf: d },'));
    const tree = synthesizeTree(config);
    // HOME is dynenv's default (writable /tmp), beside the user's variables.
    expect(objectAt(tree, 'base/api/configmap.yaml').data).toEqual({ HOME: '/tmp', constructor: 'a', toString: 'b', hasOwnProperty: 'c' });
    expect(objectAt(tree, 'overlays/prod/patches/configmap.yaml').data).toEqual({
      HOME: '/tmp',
      constructor: 'a',
      hasOwnProperty: 'c',
      toString: 'b',
      valueOf: 'd',
    });
    const out = await tempDir();
    for (const [file, text] of tree) {
      await mkdir(path.dirname(path.join(out, file)), { recursive: true });
      await writeFile(path.join(out, file), text);
    }
    const rendered = (await kustomizeBuild(path.join(out, 'overlays/prod'))).find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name === 'api-config',
    );
    expect(rendered?.data).toEqual({ HOME: '/tmp', constructor: 'a', hasOwnProperty: 'c', toString: 'b', valueOf: 'd' });
  });
});

describe('a YAML alias bomb', () => {
  const bomb = [
    'app: shop',
    'x1: &x1 [a, a, a, a, a, a, a, a, a, a]',
    ...Array.from(
      { length: 8 },
      (_, index) =>
        `x${index + 2}: &x${index + 2} [${Array(10)
          .fill(`*x${index + 1}`)
          .join(', ')}]`,
    ),
    'services: []',
  ].join('\n');

  it('regression: is refused with a clear error (it was "a bug in dynenv")', () => {
    expect(problems(bomb)).toEqual([
      `dynenv.yaml: its aliases (*name) expand to more than the ${MAX_ALIAS_COUNT} nodes allowed: aliases of aliases grow ` +
        'exponentially (a "billion laughs" document). Write the values out, or alias fewer of them',
    ]);
  });

  it('and the CLI says so with exit code 1', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'dynenv.yaml'), bomb);
    const result = await dynenv(dir, ['synth']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('its aliases (*name) expand to more than the 100 nodes allowed');
    expect(result.stderr).not.toContain('a bug in dynenv');
  });

  it('while ordinary anchors and aliases still work', () => {
    const text = withEnv('&common { LOG_LEVEL: info, REGION: eu }', '  preview: { env: *common }\n');
    expect(parseConfig(text).environments.preview.env).toEqual({ LOG_LEVEL: 'info', REGION: 'eu' });
  });
});

describe('sizes Kubernetes and Linux refuse', () => {
  it('regression: a variable past 128 KiB is refused with its size and the limit (it was accepted at 50 MB)', () => {
    const value = 'x'.repeat(MAX_ENV_VARIABLE_BYTES);
    expect(problems(withEnv(`{ BIG: "${value}" }`))).toEqual([
      `dynenv.yaml: services[0].env.BIG: ${MAX_ENV_VARIABLE_BYTES + 5} bytes is more than the ${MAX_ENV_VARIABLE_BYTES} bytes Linux passes ` +
        'to a process for one variable (MAX_ARG_STRLEN): put large content in a file the container reads',
    ]);
  });

  it('regression: a ConfigMap of variables past 1 MiB is refused, naming the service, the environments and the size', () => {
    // Nine values of 120,000 bytes: each fits in a process, together they pass 1 MiB in every environment
    // (with dynenv's default HOME=/tmp: 4 bytes more).
    const env = `{ ${Array.from({ length: 9 }, (_, index) => `V${index}: "${'y'.repeat(120_000)}"`).join(', ')} }`;
    expect(problems(withEnv(env))).toEqual([
      "dynenv.yaml: services[0].env: the ConfigMap of the service's literal variables would hold 1080004 bytes of values in dev, staging, prod, preview, " +
        `more than the ${MAX_CONFIGMAP_DATA_BYTES} bytes (1 MiB) Kubernetes accepts in a ConfigMap: put large content in files`,
    ]);
  });
});

describe('variables that look like secrets', () => {
  it.each([
    ['DB_PASSWORD', 'hunter2', 'its name ends in PASSWORD'],
    ['db_pass', 'hunter2', 'its name ends in PASS'],
    ['JWT_SECRET', 's3cr3t', 'its name ends in SECRET'],
    ['JWT_SECRET_BASE64', 'czNjcjN0', 'its name ends in SECRET'],
    ['SECRET_KEY_BASE', 'abc', 'its name ends in SECRET_KEY'],
    ['GITHUB_TOKEN', 'ghp_x', 'its name ends in TOKEN'],
    ['STRIPE_API_KEY', 'sk_live_x', 'its name ends in API_KEY'],
    ['AWS_SECRET_ACCESS_KEY', 'abc', 'its name ends in ACCESS_KEY'],
    ['SERVICE_CREDENTIALS', '{}', 'its name ends in CREDENTIALS'],
    ['DATABASE_URL', 'postgres://app:hunter2@db:5432/app', 'its value is a URL with credentials in it'],
    ['TLS_CERT', '-----BEGIN PRIVATE KEY-----\nabc', 'its value is a private key'],
  ])('%s=%j is one (%s)', (name, value, why) => {
    expect(secretLikeness(name, value)).toBe(why);
  });

  it.each([
    ['DB_PASSWORD_FILE', '/run/secrets/db'],
    ['GITHUB_TOKEN_TTL', '3600'],
    ['JWT_SECRET_NAME', 'jwt'],
    ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['PASSWORD_MIN_LENGTH', '12'],
    ['TOKEN_ISSUER', 'https://auth.example.com'],
    ['CACHE_KEY', 'v2'],
    ['PUBLIC_KEY', 'ssh-ed25519 AAAA'],
    ['BYPASS_CACHE', 'yes'],
    ['DB_PASSWORD', ''],
    ['REQUIRE_TOKEN', 'true'],
    ['DATABASE_URL', 'postgres://db:5432/app'],
  ])('%s=%j is not one', (name, value) => {
    expect(secretLikeness(name, value)).toBeUndefined();
  });

  it('is refused with a message that points to a Secret reference, in every env map', () => {
    expect(problems(withEnv('{ DB_PASSWORD: hunter2 }', '  preview: { env: { API_TOKEN: abc } }\n'))).toEqual([
      'dynenv.yaml: services[0].env.DB_PASSWORD: looks like a secret (its name ends in PASSWORD), and a literal value is committed to Git ' +
        'in a ConfigMap: keep it in a Secret and reference it instead: DB_PASSWORD: { secretKeyRef: { name: <secret>, key: <key> } }',
      'dynenv.yaml: environments.preview.env.API_TOKEN: looks like a secret (its name ends in TOKEN), and a literal value is committed to ' +
        'Git in a ConfigMap: keep it in a Secret and reference it instead: API_TOKEN: { secretKeyRef: { name: <secret>, key: <key> } }',
    ]);
  });

  it('is accepted as the Secret reference the message suggests', () => {
    expect(parseConfig(withEnv('{ DB_PASSWORD: { secretKeyRef: { name: db, key: password } } }')).services[0]!.env).toEqual({
      DB_PASSWORD: { secretKeyRef: { name: 'db', key: 'password' } },
    });
  });
});
