/**
 * The per-pull-request side of the preview environment: the patterns the ApplicationSet fills in, with their
 * defaults, and the values the committed overlay holds until it does.
 */
import { FENCE_APPLICATION_SUFFIX } from '../../contract/names.ts';
import type { Config } from './schema.ts';

export interface ResolvedPreview {
  /** What preview namespaces start with: "<prefix>-pr-" (the prefix defaults to the app). */
  readonly namespaceStem: string;
  /** Namespace of one preview: the plugin's `namespace` parameter has this shape. */
  readonly namespacePattern: string;
  /** Glob of every preview namespace, for the AppProjects' destinations and the fence's Namespace name. */
  readonly namespaceGlob: string;
  /** Name of a pull request's workload Application (its head commit): "<app>-pr-{{number}}". */
  readonly applicationNamePattern: string;
  /** Name of a pull request's fence Application (the base branch): "<app>-pr-{{number}}-fence". */
  readonly fenceApplicationNamePattern: string;
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

/** The prefix of every preview namespace: `preview.namespacePrefix`, else the app. */
export function previewNamespacePrefix(config: Pick<Config, 'app' | 'preview'>): string {
  return config.preview.namespacePrefix ?? config.app;
}

export function resolvePreview(config: Config): ResolvedPreview {
  const { preview, app } = config;
  // Prefixed with the app by default (issue 15): two applications sharing one Argo CD and one cluster must not
  // fight over `pr-<n>` Applications and namespaces.
  const namespaceStem = `${previewNamespacePrefix(config)}-pr-`;
  return {
    namespaceStem,
    namespacePattern: `${namespaceStem}{{number}}`,
    namespaceGlob: `${namespaceStem}*`,
    applicationNamePattern: `${app}-pr-{{number}}`,
    fenceApplicationNamePattern: `${app}-pr-{{number}}${FENCE_APPLICATION_SUFFIX}`,
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
