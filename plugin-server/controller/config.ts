/**
 * The controller's configuration, from the environment (validated before anything starts; every problem named by
 * its variable). The Kubernetes API is found as kubectl finds it (KUBECONFIG, else the pod's ServiceAccount).
 */
import { z } from 'zod';
import { ConfigurationError } from '../config.ts';
import { CONTROLLER_DEFAULTS } from '../../contract/plugin-server-defaults.ts';
import { REPOSITORY_NAME } from '../repositories.ts';

export interface ControllerConfig {
  /** Interface the refresh endpoint listens on (`DYNENV_CONTROLLER_HOST`): loopback, so only the plugin server
   * container of the same pod reaches it. @default '127.0.0.1' */
  readonly host: string;
  /** Its port (`DYNENV_CONTROLLER_PORT`). @default 4356 */
  readonly port: number;
  /** Argo CD's namespace (`DYNENV_ARGOCD_NAMESPACE`): its ApplicationSets and Applications. @default 'argocd' */
  readonly argocdNamespace: string;
  /** Name of the plugin's ConfigMap (`DYNENV_PLUGIN_CONFIGMAP`): the ApplicationSets whose plugin generator names
   * it are this plugin's. Required. */
  readonly pluginConfigMap: string;
  /** The repositories (`DYNENV_REPOS`), as the plugin server has them. Required. */
  readonly repositories: readonly string[];
  /** Argo CD's web UI (`DYNENV_ARGOCD_URL`), for the links of deployment statuses and comments. @default none */
  readonly argocdUrl: string | undefined;
  /** Pino log level (`DYNENV_LOG_LEVEL`). @default 'info' */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const optional = (schema: z.ZodType) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const EnvironmentSchema = z.object({
  DYNENV_CONTROLLER_HOST: optional(z.string()),
  DYNENV_CONTROLLER_PORT: z.preprocess(
    (v) => (v === '' || v === undefined ? CONTROLLER_DEFAULTS.port : Number(v)),
    z.number({ error: 'must be a port number (0-65535)' }).int('must be a whole number').min(0, 'must be 0-65535').max(65535, 'must be 0-65535'),
  ),
  DYNENV_ARGOCD_NAMESPACE: optional(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name')),
  DYNENV_PLUGIN_CONFIGMAP: optional(z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a ConfigMap name')),
  DYNENV_REPOS: optional(z.string()),
  DYNENV_ARGOCD_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://argocd.example.com' })),
  DYNENV_LOG_LEVEL: z.preprocess(
    (v) => (v === '' || v === undefined ? CONTROLLER_DEFAULTS.logLevel : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }),
  ),
});

export function loadControllerConfig(env: Readonly<Record<string, string | undefined>>): ControllerConfig {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) throw new ConfigurationError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const e = parsed.data as {
    DYNENV_CONTROLLER_HOST?: string;
    DYNENV_CONTROLLER_PORT: number;
    DYNENV_ARGOCD_NAMESPACE?: string;
    DYNENV_PLUGIN_CONFIGMAP?: string;
    DYNENV_REPOS?: string;
    DYNENV_ARGOCD_URL?: string;
    DYNENV_LOG_LEVEL: ControllerConfig['logLevel'];
  };
  const problems: string[] = [];
  if (e.DYNENV_PLUGIN_CONFIGMAP === undefined) problems.push("DYNENV_PLUGIN_CONFIGMAP: is required: the name of the plugin's ConfigMap");
  const repositories = (e.DYNENV_REPOS ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (repositories.length === 0) problems.push('DYNENV_REPOS: is required: the comma-separated owner/name repositories');
  for (const name of repositories) if (!REPOSITORY_NAME.test(name)) problems.push(`DYNENV_REPOS: "${name}" is not owner/name`);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    host: e.DYNENV_CONTROLLER_HOST ?? CONTROLLER_DEFAULTS.host,
    port: e.DYNENV_CONTROLLER_PORT,
    argocdNamespace: e.DYNENV_ARGOCD_NAMESPACE ?? CONTROLLER_DEFAULTS.argocdNamespace,
    pluginConfigMap: e.DYNENV_PLUGIN_CONFIGMAP!,
    repositories,
    argocdUrl: e.DYNENV_ARGOCD_URL?.replace(/\/+$/, ''),
    logLevel: e.DYNENV_LOG_LEVEL,
  };
}
