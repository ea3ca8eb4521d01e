import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { externalObjects } from '../../src/validate/external-objects.ts';
import { EXAMPLE_TEXT, exampleConfig } from '../support/example.ts';

describe('externalObjects', () => {
  it("holds the example's out-of-Git Secrets (the plugin's token and GitHub Secrets, the api's database Secret) and the cluster CA the controller mounts", async () => {
    expect(externalObjects(await exampleConfig())).toEqual({
      secrets: ['dynenv-plugin-token', 'dynenv-plugin-github', 'api-database'],
      configMaps: ['kube-root-ca.crt'],
      serviceAccounts: [],
    });
  });

  it('adds what dynenv.yaml declares under external:, and follows the names the configuration gives', () => {
    const config = parseConfig(`
app: shop
services:
  - { name: api, image: ghcr.io/acme/api, port: 8080, healthPath: /healthz, database: postgres }
  - { name: web, image: ghcr.io/acme/web, port: 8080, healthPath: / }
environments:
  dev: { imageTag: main }
  staging: { services: { api: { digest: "sha256:${'a'.repeat(64)}" }, web: { digest: "sha256:${'b'.repeat(64)}" } } }
  prod: { services: { api: { digest: "sha256:${'a'.repeat(64)}" }, web: { digest: "sha256:${'b'.repeat(64)}" } } }
argocd:
  plugin: { image: "ghcr.io/acme/dynenv:1.0.0", tokenSecret: { name: plugin-auth, key: value }, githubSecret: github-app }
external:
  secrets: [payments, api-database]
  configMaps: [feature-flags]
  serviceAccounts: [reporting]
`);
    expect(externalObjects(config)).toEqual({
      secrets: ['payments', 'api-database', 'plugin-auth', 'github-app'],
      configMaps: ['feature-flags', 'kube-root-ca.crt'],
      serviceAccounts: ['reporting'],
    });
  });

  it('leaves the cluster CA out when the controller is off', () => {
    const config = parseConfig(EXAMPLE_TEXT.replace('  plugin:\n', '  plugin:\n    controller: { enabled: false }\n'));
    expect(externalObjects(config).configMaps).toEqual([]);
  });
});
