/**
 * The per-pull-request side of the preview environment: the patterns the ApplicationSet fills in, with their
 * defaults, and the values the committed overlay holds until it does.
 */
import type { Config } from './schema.ts';

export interface ResolvedPreview {
  /** Namespace of one preview: the plugin's `namespace` parameter has this shape. */
  readonly namespacePattern: string;
  /** Glob of every preview namespace, for the AppProject's destinations and the CI's reach. */
  readonly namespaceGlob: string;
  readonly applicationNamePattern: string;
  readonly imageTag: string;
  /** Host pattern; undefined when no service is behind an Ingress, so a preview has no URL. */
  readonly host: string | undefined;
  /** The preview's URL scheme: https when `preview.tls` is set. */
  readonly scheme: 'http' | 'https';
  readonly tlsSecretName: string | undefined;
  readonly clusterIssuer: string | undefined;
  /** The seed values, each a pattern. */
  readonly data: { readonly tenantId: string; readonly emailDomain: string; readonly bucketPrefix: string };
}

export function resolvePreview(config: Config): ResolvedPreview {
  const { preview, app } = config;
  const namespaceStem = preview.namespacePrefix ? `${preview.namespacePrefix}-pr-` : 'pr-';
  return {
    namespacePattern: `${namespaceStem}{{number}}`,
    namespaceGlob: `${namespaceStem}*`,
    applicationNamePattern: preview.prefixApplicationName ? `${app}-pr-{{number}}` : 'pr-{{number}}',
    imageTag: preview.imageTag,
    host: config.services.some((service) => service.ingress) ? preview.host : undefined,
    scheme: preview.tls !== undefined ? 'https' : 'http',
    tlsSecretName: preview.tls?.secretName,
    clusterIssuer: preview.tls?.clusterIssuer,
    data: {
      tenantId: preview.data.tenantId ?? `${app}-pr-{{number}}`,
      emailDomain: preview.data.emailDomain ?? `pr-{{number}}.${app}.invalid`,
      bucketPrefix: preview.data.bucketPrefix ?? `${app}/pr-{{number}}/`,
    },
  };
}

/** Requests and limits of the Job that creates a preview's database credentials (Node with tsx). */
export const CREDENTIALS_JOB_RESOURCES = { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '192Mi' } } as const;
