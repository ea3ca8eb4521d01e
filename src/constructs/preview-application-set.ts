import { Construct } from 'constructs';
import { PATTERN_PARAMETERS, toGoTemplate } from '../config/preview-pattern.ts';
import type { ResolvedPreview } from '../config/resolve-preview.ts';
import { RESOURCES_FINALIZER, SYNC_OPTIONS, SYNC_RETRY, argocdObject } from './argocd-object.ts';
import { DYNENV_ANNOTATION, DYNENV_LABEL, appLabels } from './labels.ts';
import { PREVIEW_IDENTITY_CONFIGMAP, previewIdentityData } from './preview-identity.ts';

/**
 * Every plugin parameter the ApplicationSet template may use: the fixed ones below and those the configured
 * patterns may name. The plugin server must emit each of them for every pull request (missingkey=error).
 */
export const PREVIEW_TEMPLATE_PARAMETERS: readonly string[] = [
  ...new Set(['number', 'namespace', 'head_sha', 'url', ...Object.keys(PATTERN_PARAMETERS)]),
].sort();

/** The `input.parameters` the plugin server reads. */
export interface PluginInputParameters {
  readonly repo: string;
  readonly labels: readonly string[];
  readonly excludeLabels: readonly string[];
  readonly includeDrafts: boolean;
  readonly includeForks: boolean;
  readonly targetBranches: readonly string[];
  readonly branchMatch?: string;
  readonly titleMatch?: string;
  readonly maxAgeHours: number;
  readonly keepLabel?: string;
  readonly limit?: number;
  readonly namespacePrefix?: string;
}

export interface PreviewApplicationSetProps {
  /** Application name, for labels and the ApplicationSet's name ("<app>-previews"). */
  readonly app: string;
  /** Argo CD's namespace. */
  readonly argocdNamespace: string;
  /** AppProject of the previews. */
  readonly project: string;
  /** Name of the plugin ConfigMap. */
  readonly pluginConfigMap: string;
  /** What the plugin is asked for. */
  readonly parameters: PluginInputParameters;
  /** How often Argo CD asks. */
  readonly requeueAfterSeconds: number;
  /** Git repository and path of the preview overlay (the revision is each pull request's head commit). */
  readonly source: { readonly repoURL: string; readonly path: string };
  /** Cluster API server. */
  readonly server: string;
  /** The per-PR patterns. */
  readonly preview: ResolvedPreview;
  /** Image repositories that run the pull request's own build (tag from `preview.imageTag`). */
  readonly images: readonly string[];
  /** The preview overlay's Ingresses have a `tls` section whose host must follow the pull request's. */
  readonly ingressTls: boolean;
}

/** A value of a JSON patch inside a template: a JSON string, so that YAML reads it as a string (`"42"`). */
function jsonValue(value: unknown): string {
  return JSON.stringify(value);
}

/** Path segment of a JSON pointer: "/" and "~" escaped. */
function pointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function jsonPatch(operations: ReadonlyArray<{ op: 'add' | 'replace'; path: string; value: unknown }>): string {
  return operations.map(({ op, path, value }) => `- op: ${op}\n  path: ${path}\n  value: ${jsonValue(value)}`).join('\n');
}

/**
 * The preview ApplicationSet: Argo CD asks the plugin server for the open pull requests and makes one
 * Application per answer, named after the pull request, deploying the preview overlay at the pull request's
 * head commit into its own namespace, with its own image tag, host and identity, synced automatically with
 * prune. When a pull request closes the plugin stops listing it and Argo CD deletes its Application; the
 * resources finalizer then deletes everything the Application deployed, the Namespace included.
 */
export class PreviewApplicationSet extends Construct {
  /** The ApplicationSet's name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: PreviewApplicationSetProps) {
    super(scope, id);
    this.name = `${props.app}-previews`;
    const { preview } = props;
    const go = toGoTemplate;
    const labels = { ...appLabels(props.app), [DYNENV_LABEL.environment]: 'preview' };
    const patches: Array<{ target: Record<string, string>; patch: string }> = [
      {
        target: { kind: 'Namespace' },
        patch: jsonPatch([
          { op: 'replace', path: `/metadata/labels/${pointer(DYNENV_LABEL.pullRequest)}`, value: go('{{number}}') },
          { op: 'add', path: `/metadata/annotations/${pointer(DYNENV_ANNOTATION.pullRequestUrl)}`, value: go('{{url}}') },
          { op: 'add', path: `/metadata/annotations/${pointer(DYNENV_ANNOTATION.headSha)}`, value: go('{{head_sha}}') },
        ]),
      },
      {
        target: { kind: 'ConfigMap', name: PREVIEW_IDENTITY_CONFIGMAP },
        patch: jsonPatch([{ op: 'replace', path: '/data', value: previewIdentityData(preview, go) }]),
      },
    ];
    if (preview.host !== undefined) {
      patches.push({
        target: { kind: 'Ingress' },
        patch: jsonPatch([
          { op: 'replace', path: '/spec/rules/0/host', value: go(preview.host) },
          ...(props.ingressTls
            ? [{ op: 'replace' as const, path: '/spec/tls/0/hosts/0', value: go(preview.host) }]
            : []),
          ...(preview.tlsSecretName !== undefined ? [{ op: 'replace' as const, path: '/spec/tls/0/secretName', value: go(preview.tlsSecretName) }] : []),
        ]),
      });
    }

    argocdObject(this, 'ApplicationSet', {
      kind: 'ApplicationSet',
      name: this.name,
      namespace: props.argocdNamespace,
      labels,
      spec: {
        goTemplate: true,
        // An unknown key fails the whole ApplicationSet instead of deploying "<no value>" somewhere.
        goTemplateOptions: ['missingkey=error'],
        generators: [
          {
            plugin: {
              configMapRef: { name: props.pluginConfigMap },
              input: { parameters: { ...props.parameters } },
              requeueAfterSeconds: props.requeueAfterSeconds,
            },
          },
        ],
        template: {
          metadata: {
            name: go(preview.applicationNamePattern),
            labels: { ...labels, [DYNENV_LABEL.pullRequest]: go('{{number}}') },
            annotations: {
              // Links in the Argo CD UI.
              'link.argocd.argoproj.io/pull-request': go('{{url}}'),
              ...(preview.host !== undefined && { 'link.argocd.argoproj.io/preview': go(`${preview.scheme}://${preview.host}`) }),
            },
            finalizers: [RESOURCES_FINALIZER],
          },
          spec: {
            project: props.project,
            source: {
              repoURL: props.source.repoURL,
              targetRevision: go('{{head_sha}}'),
              path: props.source.path,
              kustomize: {
                namespace: go('{{namespace}}'),
                images: props.images.map((image) => `${image}:${go(preview.imageTag)}`),
                patches,
              },
            },
            destination: { server: props.server, namespace: go('{{namespace}}') },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [...SYNC_OPTIONS], retry: SYNC_RETRY },
          },
        },
      },
    });
  }
}
