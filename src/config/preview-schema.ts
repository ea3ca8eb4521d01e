/**
 * `preview:` in dynenv.yaml: which pull requests get an environment, and how each one is named, addressed,
 * seeded and given its own database. Patterns take the plugin's parameters as `{{name}}` placeholders.
 */
import { z } from 'zod';
import { isDns1123Label } from '../names.ts';
import { compilePullRequestPattern } from '../pull-request-pattern.ts';
import { explainPattern, extremeValues } from './preview-pattern.ts';
import {
  booleanFlag,
  count,
  dns1123Label,
  HOSTNAME,
  objectName,
  pinnedImage,
  storageQuantity,
} from './primitives.ts';
import { resourcesSchema } from './resources-schema.ts';

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
  /** Only pull requests carrying every one of these labels. @default [] (any) */
  labels: z.array(z.string({ error: 'expected a label' }).min(1), { error: 'expected a list of labels' }).default([]),
  /** Never pull requests carrying one of these labels (e.g. "stale", "no-preview"). @default [] */
  excludeLabels: z.array(z.string({ error: 'expected a label' }).min(1), { error: 'expected a list of labels' }).default([]),
  /** Also draft pull requests. @default false */
  includeDrafts: booleanFlag.default(false),
  /**
   * Also pull requests from forks. Off by default: a fork's code would run in the cluster with the preview's
   * credentials before anyone reviewed it. @default false
   */
  includeForks: booleanFlag.default(false),
  /** Only pull requests into these branches. @default [] (any target) */
  targetBranches: z.array(z.string({ error: 'expected a branch name' }).min(1), { error: 'expected a list of branch names' }).default([]),
  /** Only pull requests whose head branch matches this regular expression (RE2 syntax, unanchored). @default none */
  branchMatch: regularExpression.optional(),
  /** Only pull requests whose title matches this regular expression (RE2 syntax, unanchored). @default none */
  titleMatch: regularExpression.optional(),
  /** At most this many previews at once (the most recently updated pull requests win). @default none */
  limit: count(10000, 1).optional(),
});
export type PullRequestFilter = z.infer<typeof pullRequestFilterSchema>;

/** Per-pull-request values the seed Job and the services receive, so no two previews share external state. */
export const previewDataSchema = z.strictObject({
  /** Tenant ID of the seed data. @default "<app>-pr-{{number}}" */
  tenantId: textPattern('a tenant ID pattern such as "checkout-pr-{{number}}"').optional(),
  /**
   * Domain of every seeded e-mail address. The default is under ".invalid" (RFC 2606), which never
   * delivers, so a preview cannot mail a real person. @default "pr-{{number}}.<app>.invalid"
   */
  emailDomain: hostPattern.optional(),
  /** Prefix of every object-storage key and message topic the preview writes. @default "<app>/pr-{{number}}/" */
  bucketPrefix: textPattern('a prefix pattern such as "checkout/pr-{{number}}/"').optional(),
});

/** The PostgreSQL every preview gets for the services with `database: postgres`. */
export const previewDatabaseSchema = z.strictObject({
  /** PostgreSQL image; the official image runs as non-root under the "restricted" Pod Security Standard. @default "docker.io/library/postgres:16-alpine" */
  image: pinnedImage.default('docker.io/library/postgres:16-alpine'),
  /** Uid the image's `postgres` user has (70 in the Alpine images, 999 in the Debian ones). @default 70 */
  runAsUser: count(2147483647, 1).default(70),
  /** Size of the data volume. @default "1Gi" */
  storage: storageQuantity.default('1Gi'),
  /** StorageClass of the data volume. @default the cluster's default StorageClass */
  storageClassName: objectName.optional(),
  /** Requests and limits of the database container. @default { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } */
  resources: resourcesSchema.default({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } }),
  /**
   * Image that creates the credentials Secret in the preview's namespace (it runs
   * `dynenv create-database-secret`). @default the plugin server's image (`argocd.plugin.image`)
   */
  credentialsImage: pinnedImage.optional(),
});
export type PreviewDatabaseConfig = z.infer<typeof previewDatabaseSchema>;

const NAMESPACE_PREFIX_MAX = 63 - '-pr-'.length - 7;

export const previewSchema = z.strictObject({
  /** Host of each preview's Ingress. @default none (no Ingress) */
  host: hostPattern.optional(),
  /** TLS of each preview's Ingress; the Secret name may use placeholders. @default none (plain HTTP) */
  tls: z
    .strictObject({
      /** @default none: the ingress controller's default certificate (a wildcard for the preview domain) */
      secretName: namePattern.optional(),
      /** cert-manager ClusterIssuer (`cert-manager.io/cluster-issuer`). @default none */
      clusterIssuer: objectName.optional(),
    })
    .optional(),
  /** Image tag each preview runs: what CI pushes for the pull request's head commit. @default "sha-{{head_sha}}" */
  imageTag: tagPattern.default('sha-{{head_sha}}'),
  /** Namespaces become "<prefix>-pr-<number>" instead of "pr-<number>". @default none */
  namespacePrefix: dns1123Label('a namespace prefix')
    .max(NAMESPACE_PREFIX_MAX, { error: `expected at most ${NAMESPACE_PREFIX_MAX} characters` })
    .refine(isDns1123Label)
    .optional(),
  /** Name Applications "<app>-pr-<number>" instead of "pr-<number>" (several apps in one Argo CD). @default false */
  prefixApplicationName: booleanFlag.default(false),
  /**
   * A preview whose pull request saw no activity for this long is removed (the plugin stops listing it, Argo CD
   * prunes it); the Namespace carries it as the `dynenv.io/ttl-hours` label. @default 72
   */
  ttlHours: count(8760, 1).default(72),
  /** How often Argo CD asks the plugin for the open pull requests (webhooks refresh sooner). @default 180 */
  requeueAfterSeconds: count(86400, 10).default(180),
  /** Which pull requests get a preview. @default every open, non-draft pull request from the repository itself */
  pullRequests: pullRequestFilterSchema.default({ labels: [], excludeLabels: [], includeDrafts: false, includeForks: false, targetBranches: [] }),
  /** Per-pull-request tenant ID, e-mail domain and storage prefix. @default see each field */
  data: previewDataSchema.default({}),
  /** The preview's own PostgreSQL. @default see each field */
  database: previewDatabaseSchema.default({
    image: 'docker.io/library/postgres:16-alpine',
    runAsUser: 70,
    storage: '1Gi',
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  }),
});
export type PreviewConfig = z.infer<typeof previewSchema>;
