/**
 * The HTTP routes of the plugin server and of its controller, which the generator's manifests point at (the
 * plugin ConfigMap's baseUrl, probes, the webhook Ingress) and the servers serve.
 */

/** Routes of `dynenv serve`, below DYNENV_BASE_PATH. */
export const PLUGIN_ROUTES = {
  /** Argo CD's plugin-generator call (POST). */
  getParams: '/api/v1/getparams.execute',
  /** GitHub's webhook (POST); the default of `argocd.plugin.webhook.path`. */
  webhook: '/api/v1/webhook/github',
  liveness: '/healthz',
  readiness: '/readyz',
  metrics: '/metrics',
} as const;

/** Routes of `dynenv controller`, on loopback in the plugin server's pod. */
export const CONTROLLER_ROUTES = {
  /** The plugin server says which repository changed (POST). */
  refresh: '/api/v1/refresh',
  liveness: '/healthz',
  readiness: '/readyz',
  metrics: '/metrics',
} as const;
