/**
 * `preview:` in dynenv.yaml: which pull requests get an environment, and how each one is named, addressed,
 * seeded and given its own database. Patterns take the plugin's parameters as `{{name}}` placeholders.
 */
import { z } from 'zod';
import { NAMESPACE_PREFIX_MAX_LENGTH, isDns1123Label } from '../../contract/names.ts';
import { compilePullRequestPattern } from '../../contract/pull-request-pattern.ts';
import { explainPattern, extremeValues } from './preview-pattern.ts';
import { booleanFlag, count, dns1123Label, HOSTNAME, objectName, pinnedImage, storageQuantity } from './primitives.ts';
import { resourcesSchema } from './resources-schema.ts';
import { smokeTestSchema } from './smoke-test-schema.ts';

/**
 * A pattern whose every filling must pass `check` (tried with the shortest and longest parameter values, so
 * that a branch slug that can be empty or 50 characters long cannot produce an invalid name for some PR).
 */
function pattern(what: string, check: (value: string) => string | undefined) {
  return z.string({ error: `expected ${what}` }).superRefine((value, ctx) => {
    const problem = explainPattern(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return;
    }
    for (const filled of extremeValues(value)) {
      const invalid = check(filled);
      if (invalid) {
        ctx.addIssue({ code: 'custom', message: `expected ${what}; for some pull requests it gives "${filled}", ${invalid}` });
        return;
      }
    }
  });
}

// Refused here, at synth, rather than by the plugin server once Argo CD asks it.
const regularExpression = z
  .string({ error: 'expected a regular expression' })
  .min(1, 'expected a regular expression')
  .superRefine((source, ctx) => {
    const compiled = compilePullRequestPattern(source);
    if ('problem' in compiled) ctx.addIssue({ code: 'custom', message: `expected an RE2 regular expression: it ${compiled.problem}` });
  });

const hostPattern = pattern('a host name pattern such as "pr-{{number}}.preview.example.com"', (host) =>
  HOSTNAME.test(host) && host.split('.').every((label) => label.length <= 63) ? undefined : 'which is not a DNS host name',
);
const tagPattern = pattern('an image tag pattern such as "sha-{{head_sha}}"', (tag) =>
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) ? undefined : 'which is not an image tag',
);
const namePattern = pattern('a name pattern such as "preview-{{number}}-tls"', (name) =>
  objectName.safeParse(name).success ? undefined : 'which is not a DNS-1123 name',
);
const textPattern = (what: string) =>
  pattern(what, (text) => (/^[A-Za-z0-9][A-Za-z0-9._/@-]*$/.test(text) ? undefined : 'which has characters outside [A-Za-z0-9._/@-]'));

/** Which open pull requests get a preview: the plugin generator's `input.parameters`. */
export const pullRequestFilterSchema = z.strictObject({
  labels: z
    .array(z.string({ error: 'expected a label' }).min(1), { error: 'expected a list of labels' })
    .default([])
    .meta({ description: 'Only pull requests carrying every one of these labels. Default: [] (any).' }),
  excludeLabels: z
    .array(z.string({ error: 'expected a label' }).min(1), { error: 'expected a list of labels' })
    .default([])
    .meta({ description: 'Never pull requests carrying one of these labels (e.g. "stale", "no-preview"). Default: [].' }),
  includeDrafts: booleanFlag.default(false).meta({ description: 'Also draft pull requests. Default: false.' }),
  includeForks: booleanFlag.default(false).meta({
    description:
      "Also pull requests from forks. Off by default: a fork's code would run in the cluster with the preview's credentials " +
      'before anyone reviewed it. Default: false.',
  }),
  targetBranches: z
    .array(z.string({ error: 'expected a branch name' }).min(1), { error: 'expected a list of branch names' })
    .default([])
    .meta({ description: 'Only pull requests into these branches. Default: [] (any target).' }),
  branchMatch: regularExpression
    .optional()
    .meta({ description: 'Only pull requests whose head branch matches this regular expression (RE2 syntax, unanchored). Default: none.' }),
  titleMatch: regularExpression
    .optional()
    .meta({ description: 'Only pull requests whose title matches this regular expression (RE2 syntax, unanchored). Default: none.' }),
  limit: count(10000, 1).optional().meta({ description: 'At most this many previews at once (the most recently updated pull requests win). Default: none.' }),
});
export type PullRequestFilter = z.infer<typeof pullRequestFilterSchema>;

/** Per-pull-request values the seed Job and the services receive, so no two previews share external state. */
export const previewDataSchema = z.strictObject({
  tenantId: textPattern('a tenant ID pattern such as "checkout-pr-{{number}}"')
    .optional()
    .meta({ description: 'Tenant ID of the seed data. Default: "<app>-pr-{{number}}".' }),
  emailDomain: hostPattern.optional().meta({
    description:
      'Domain of every seeded e-mail address. The default is under ".invalid" (RFC 2606), which never delivers, so a preview ' +
      'cannot mail a real person. Default: "pr-{{number}}.<app>.invalid".',
  }),
  bucketPrefix: textPattern('a prefix pattern such as "checkout/pr-{{number}}/"')
    .optional()
    .meta({ description: 'Prefix of every object-storage key and message topic the preview writes. Default: "<app>/pr-{{number}}/".' }),
});

/** The PostgreSQL every preview gets for the services with `database: postgres`. */
export const previewDatabaseSchema = z.strictObject({
  image: pinnedImage.default('docker.io/library/postgres:16-alpine').meta({
    description:
      'PostgreSQL image; the official image runs as non-root under the "restricted" Pod Security Standard. ' +
      'Default: "docker.io/library/postgres:16-alpine".',
  }),
  runAsUser: count(2147483647, 1)
    .default(70)
    .meta({ description: "Uid the image's `postgres` user has (70 in the Alpine images, 999 in the Debian ones). Default: 70." }),
  storage: storageQuantity.default('1Gi').meta({ description: 'Size of the data volume. Default: "1Gi".' }),
  storageClassName: objectName.optional().meta({ description: "StorageClass of the data volume. Default: the cluster's default StorageClass." }),
  resources: resourcesSchema.default({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } }).meta({
    description: 'Requests and limits of the database container. ' + 'Default: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } }.',
  }),
  credentialsImage: pinnedImage.optional().meta({
    description:
      "Image that creates the credentials Secret in the preview's namespace (it runs `dynenv create-database-secret`). " +
      "Default: the plugin server's image (`argocd.plugin.image`).",
  }),
});
export type PreviewDatabaseConfig = z.infer<typeof previewDatabaseSchema>;

export const previewSchema = z.strictObject({
  host: hostPattern.optional().meta({
    description: 'Host of each preview\'s Ingress, a pattern such as "pr-{{number}}.preview.example.com". Default: none (no Ingress).',
  }),
  tls: z
    .strictObject({
      secretName: namePattern.optional().meta({
        description:
          "Secret holding the certificate, in each preview's namespace; may use placeholders. " +
          "Default: none (the ingress controller's default certificate, a wildcard for the preview domain).",
      }),
      clusterIssuer: objectName.optional().meta({ description: 'cert-manager ClusterIssuer (`cert-manager.io/cluster-issuer`). Default: none.' }),
    })
    .optional()
    .meta({ description: "TLS of each preview's Ingress; the Secret name may use placeholders. Default: none (plain HTTP)." }),
  imageTag: tagPattern
    .default('sha-{{head_sha}}')
    .meta({ description: 'Image tag each preview runs: what CI pushes for the pull request\'s head commit. Default: "sha-{{head_sha}}".' }),
  // Room for "-pr-" and the largest pull-request number GitHub can hand out (10 digits), never truncated.
  namespacePrefix: dns1123Label('a namespace prefix')
    .max(NAMESPACE_PREFIX_MAX_LENGTH, { error: `expected at most ${NAMESPACE_PREFIX_MAX_LENGTH} characters` })
    .refine(isDns1123Label)
    .optional()
    .meta({
      description:
        'Each preview\'s namespace is "<prefix>-pr-<number>" (the AppProjects admit "<prefix>-pr-*"). Default: the app name, so ' +
        'two applications sharing a cluster never share a namespace.',
    }),
  ttlHours: count(8760, 1)
    .default(72)
    .meta({
      description:
        'Hours without activity on its pull request after which a preview is removed (the plugin stops listing it, Argo CD ' +
        'prunes it); the Namespace carries it as the `dynenv.io/ttl-hours` label. Default: 72.',
    }),
  keepLabel: z
    .string({ error: 'expected a label' })
    .min(1, { error: 'expected a label' })
    .max(50, { error: "expected at most 50 characters (GitHub's limit for a label)" })
    .default('keep-preview')
    .meta({
      description:
        'A pull request carrying this label keeps its preview past `ttlHours` (the comment on the pull request says so). ' + 'Default: "keep-preview".',
    }),
  // A poll the plugin answers from unchanged pages costs no GitHub rate limit (conditional requests), so polling
  // often is cheap; it bounds how long a refresh that raced ahead of the plugin's own webhook stays stale.
  requeueAfterSeconds: count(86400, 10).default(60).meta({
    description:
      'How often, in seconds, Argo CD asks the plugin for the open pull requests (webhooks refresh sooner). Cheap: an unchanged listing costs no GitHub rate limit. Default: 60.',
  }),
  pullRequests: pullRequestFilterSchema
    .default({ labels: [], excludeLabels: [], includeDrafts: false, includeForks: false, targetBranches: [] })
    .meta({ description: 'Which pull requests get a preview. Default: every open, non-draft pull request from the repository itself.' }),
  data: previewDataSchema.default({}).meta({ description: 'Per-pull-request tenant ID, e-mail domain and storage prefix. Default: see each field.' }),
  database: previewDatabaseSchema
    .default({
      image: 'docker.io/library/postgres:16-alpine',
      runAsUser: 70,
      storage: '1Gi',
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    })
    .meta({ description: "The preview's own PostgreSQL, for the services with `database: postgres`. Default: see each field." }),
  smokeTest: smokeTestSchema.optional().meta({
    description:
      'A test run against each preview once all its resources are healthy (a PostSync hook Job `dynenv-smoke-test`): its ' +
      'failure fails the sync and the pull request shows the preview as failed. Default: none.',
  }),
});
export type PreviewConfig = z.infer<typeof previewSchema>;
