/** The rules across guardrail, preview and Argo CD settings: table-driven, with the exact messages. */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { resolveGuardrails } from '../../src/config/resolve-guardrails.ts';
import { problemsOrNone } from '../support/config-problems.ts';
import { EXAMPLE_TEXT, configWith } from '../support/example.ts';

function problems(edit: (data: Record<string, any>) => void): string[] {
  const data = parse(EXAMPLE_TEXT) as Record<string, any>;
  edit(data);
  return problemsOrNone(stringify(data));
}

const cases: Array<{ name: string; edit: (data: Record<string, any>) => void; expected: string[] }> = [
  {
    name: 'a placeholder the plugin does not emit',
    edit: (data) => (data.preview.imageTag = 'sha-{{sha}}'),
    expected: [
      'dynenv.yaml: preview.imageTag: unknown placeholder {{sha}} (known: {{number}}, {{head_sha}}, {{head_short_sha}}, {{head_short_sha_7}}, {{branch_slug}}, {{target_branch_slug}}, {{namespace}})',
    ],
  },
  {
    name: 'a host pattern that is invalid for some pull requests',
    edit: (data) => (data.preview.host = '{{branch_slug}}.preview.example.com'),
    expected: [
      'dynenv.yaml: preview.host: expected a host name pattern such as "pr-{{number}}.preview.example.com"; for some pull requests it gives ".preview.example.com", which is not a DNS host name',
    ],
  },
  {
    name: 'a static host on the preview environment',
    edit: (data) => (data.environments.preview.host = 'preview.example.com'),
    expected: [
      'dynenv.yaml: environments.preview.host: a preview has one host per pull request: set "preview.host" to a pattern such as "pr-{{number}}.preview.example.com"',
    ],
  },
  {
    name: 'a preview quota larger than staging',
    edit: (data) => (data.environments.preview.quota = { pods: 500, requests: { memory: '64Gi' } }),
    expected: [
      "dynenv.yaml: environments.preview.quota.requests.memory: 64Gi is more than staging's 16Gi: a preview must get a smaller quota than staging",
      "dynenv.yaml: environments.preview.quota.pods: 500 is more than staging's 100: a preview must get a smaller quota than staging",
    ],
  },
  {
    name: "a quota that cannot hold the environment's own pods",
    edit: (data) => (data.environments.staging.quota = { requests: { cpu: '500m' } }),
    expected: [
      "dynenv.yaml: environments.staging.quota.requests.cpu: 500m cannot hold the environment's own pods at their peak (850m: api 3×100m, api-migrate 1×100m, web 3×100m, worker 3×50m, counting a rolling update's surge); raise it or lower the requests",
      // A staging quota this small is also below the preview's default.
      "dynenv.yaml: environments.preview.quota.requests.cpu: 2 is more than staging's 500m: a preview must get a smaller quota than staging",
    ],
  },
  {
    name: 'a ClusterIssuer without the Secret cert-manager writes to',
    edit: (data) => (data.environments.prod.tls = { clusterIssuer: 'letsencrypt' }),
    expected: ['dynenv.yaml: environments.prod.tls.secretName: required with "clusterIssuer": cert-manager stores the certificate it issues in that Secret'],
  },
  {
    name: 'TLS without a host',
    edit: (data) => delete data.environments.dev.host,
    expected: ['dynenv.yaml: environments.dev.tls: needs "host" on the same environment'],
  },
  {
    name: 'an autoscaler whose minimum exceeds its maximum',
    edit: (data) => (data.environments.prod.services.api.autoscaling = { minReplicas: 5, maxReplicas: 2 }),
    expected: ['dynenv.yaml: environments.prod.services.api.autoscaling: expected "minReplicas" at most "maxReplicas"'],
  },
  {
    name: 'a disruption budget with both bounds',
    edit: (data) => (data.environments.prod.disruptionBudget = { maxUnavailable: 1, minAvailable: 2 }),
    expected: ['dynenv.yaml: environments.prod.disruptionBudget: expected exactly one of "maxUnavailable" or "minAvailable"'],
  },
  {
    name: 'migrations without a database',
    edit: (data) => (data.services[2].migrate = { command: ['/app/worker', 'migrate'] }),
    expected: ['dynenv.yaml: services[2].migrate: needs "database" on the same service'],
  },
  {
    name: 'no plugin server image',
    edit: (data) => delete data.argocd.plugin.image,
    expected: [
      'dynenv.yaml: preview.database.credentialsImage: required: the dynenv image that creates the preview database credentials of api (or set argocd.plugin.image)',
      'dynenv.yaml: argocd.plugin.image: required: the image of the plugin server (build it from the Dockerfile), pinned by tag or digest',
    ],
  },
  {
    name: 'a plugin image without tag or digest',
    edit: (data) => (data.argocd.plugin.image = 'ghcr.io/example-org/dynenv'),
    expected: [
      'dynenv.yaml: argocd.plugin.image: expected an image with a tag or digest, such as "ghcr.io/acme/dynenv:0.1.0" or "…@sha256:<64 hex>", got "ghcr.io/example-org/dynenv"',
    ],
  },
  {
    name: 'a repository that is not on GitHub and no owner/name',
    edit: (data) => (data.repository.url = 'https://git.example.com/checkout.git'),
    expected: [
      'dynenv.yaml: repository.github: required: "owner/name" of the repository on GitHub (it cannot be read from "https://git.example.com/checkout.git")',
    ],
  },
  {
    name: 'an unknown Pod Security level',
    edit: (data) => (data.environments.dev.podSecurity = 'strict'),
    expected: ['dynenv.yaml: environments.dev.podSecurity: expected "restricted", "baseline" or "privileged", got "strict"'],
  },
];

describe('checks across environments', () => {
  it.each(cases)('reports $name', ({ edit, expected }) => {
    expect(problems(edit)).toEqual(expected);
  });

  it('accepts the bundled example', () => {
    expect(problems(() => {})).toEqual([]);
  });
});

describe('resolveGuardrails', () => {
  it('gives every environment a quota, previews the smallest, and a disruption budget for the services that run several pods', () => {
    const config = configWith();
    const quotas = (['preview', 'dev', 'staging', 'prod'] as const).map((environment) => resolveGuardrails(config, environment).quota.pods);
    expect(quotas).toEqual([20, 50, 100, 300]);
    expect(resolveGuardrails(config, 'prod').disruptionBudget).toEqual({ budget: { maxUnavailable: 1 }, services: 'every' });
    expect(resolveGuardrails(config, 'staging').disruptionBudget).toEqual({ budget: { maxUnavailable: 1 }, services: 'replicated' });
  });

  it('lays configured fields over the defaults one by one, and lets prod drop its budget', () => {
    const config = configWith((data) => {
      data.environments.dev.quota = { requests: { cpu: '3' } };
      data.environments.prod.disruptionBudget = false;
    });
    expect(resolveGuardrails(config, 'dev').quota.requests).toEqual({ cpu: '3', memory: '8Gi', storage: '20Gi' });
    expect(resolveGuardrails(config, 'prod').disruptionBudget).toBeUndefined();
  });
});
