/**
 * The labels dynenv puts on what it generates. Selector labels are explicit and stable: a Deployment's selector
 * is immutable, so it must never depend on a construct path (cdk8s-plus would select on one by default).
 */

/** Label keys in the `dynenv.io/` prefix. */
export const DYNENV_LABEL = {
  /** The environment an object belongs to: dev, staging, prod or preview. */
  environment: 'dynenv.io/environment',
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
