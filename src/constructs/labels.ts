/**
 * The labels dynenv puts on what it generates. Selector labels are explicit and stable: a Deployment's selector
 * is immutable, so it must never depend on a construct path (cdk8s-plus would select on one by default).
 */

/** Label keys in the `dynenv.io/` prefix. */
export const DYNENV_LABEL = {
  /** The environment an object belongs to: dev, staging, prod or preview. */
  environment: 'dynenv.io/environment',
  /** The team that owns a namespace, for whoever finds it forgotten. */
  owner: 'dynenv.io/owner',
  /** The pull request a preview namespace belongs to. */
  pullRequest: 'dynenv.io/pull-request',
  /** Hours without activity on the pull request after which the preview is removed. */
  ttlHours: 'dynenv.io/ttl-hours',
  /** What a supporting object does (database, database-credentials, migration), for NetworkPolicies. */
  component: 'dynenv.io/component',
} as const;

/** Annotation keys in the `dynenv.io/` prefix, for values that are not label-safe. */
export const DYNENV_ANNOTATION = {
  /** The pull request's web page. */
  pullRequestUrl: 'dynenv.io/pull-request-url',
  /** The commit a preview runs. */
  headSha: 'dynenv.io/head-sha',
  /** Last activity on the pull request (RFC 3339); a preview expires `ttl-hours` after it. */
  lastActivity: 'dynenv.io/last-activity',
} as const;

/** Labels that select one service's pods; never changes once deployed. */
export function selectorLabels(app: string, service: string): Record<string, string> {
  return { 'app.kubernetes.io/name': service, 'app.kubernetes.io/part-of': app };
}

/** Labels of every object that belongs to one service. */
export function serviceLabels(app: string, service: string): Record<string, string> {
  return { ...selectorLabels(app, service), 'app.kubernetes.io/managed-by': 'dynenv' };
}

/** Labels of objects that belong to the application as a whole (namespaces, guardrails). */
export function appLabels(app: string): Record<string, string> {
  return { 'app.kubernetes.io/part-of': app, 'app.kubernetes.io/managed-by': 'dynenv' };
}

/**
 * Prefix of the annotations that tell `dynenv validate` a workload departs from a rule on purpose, with the reason as
 * the value: `ignore-check.dynenv.io/readiness-probe: "serves no traffic"` (as kube-linter's `ignore-check.kube-linter.io/`).
 */
export const IGNORE_CHECK_ANNOTATION_PREFIX = 'ignore-check.dynenv.io/';
