import { Construct } from 'constructs';
import { PATTERN_PARAMETERS, toGoTemplate } from '../config/preview-pattern.ts';
import { RESOURCES_FINALIZER, SYNC_RETRY, type ApplicationTemplate, argocdObject } from './argocd-object.ts';
import { type IgnoredDifference, ignoreDifferencesField, syncOptionsIgnoring } from './ignored-differences.ts';
import { DYNENV_LABEL, appLabels } from './labels.ts';
import type { KustomizePatchEntry } from './preview-patches.ts';

/**
 * Every plugin parameter the ApplicationSet templates may use: the fixed ones below and those the configured
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
  readonly namespacePrefix: string;
}

/** Which half of a preview an ApplicationSet makes: the label `dynenv.io/preview-part` on it and its Applications. */
export type PreviewPart = 'workloads' | 'fence';

/** Label that tells a preview's two ApplicationSets (and their Applications) apart. */
export const PREVIEW_PART_LABEL = 'dynenv.io/preview-part';

export interface PreviewApplicationSetProps {
  /** Application name, for labels. */
  readonly app: string;
  /** The ApplicationSet's name. */
  readonly name: string;
  readonly part: PreviewPart;
  /** Argo CD's namespace. */
  readonly argocdNamespace: string;
  /** AppProject of the Applications. */
  readonly project: string;
  /** Name pattern of each Application, e.g. "checkout-pr-{{number}}". */
  readonly applicationName: string;
  /** Name of the plugin ConfigMap. */
  readonly pluginConfigMap: string;
  /** What the plugin is asked for: the same for both halves, so they list the same pull requests. */
  readonly parameters: PluginInputParameters;
  /** How often Argo CD asks. */
  readonly requeueAfterSeconds: number;
  /** Git repository, revision (a Go template such as `{{ .head_sha }}`, or a branch) and folder each Application deploys. */
  readonly source: { readonly repoURL: string; readonly targetRevision: string; readonly path: string };
  /** Image overrides (`kustomize edit set image`), Go templates. @default none */
  readonly images?: readonly string[];
  readonly patches: readonly KustomizePatchEntry[];
  /** Cluster API server. */
  readonly server: string;
  /** Links shown in the Argo CD UI, name → Go template. @default none */
  readonly links?: Readonly<Record<string, string>>;
  /**
   * Fields someone else owns (a person who scales, an autoscaler): Argo CD neither reports nor reverts them, and
   * with `RespectIgnoreDifferences=true` its syncs leave them alone too. @default none
   */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
}

/**
 * One of a preview's two ApplicationSets. Argo CD asks the plugin server for the open pull requests and makes one
 * Application per answer, deploying into the pull request's namespace, synced automatically with prune and
 * self-heal. When a pull request closes the plugin stops listing it and Argo CD deletes its Application; the
 * resources finalizer then deletes everything the Application deployed (the fence's, the Namespace included).
 */
export class PreviewApplicationSet extends Construct {
  /** The ApplicationSet's name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: PreviewApplicationSetProps) {
    super(scope, id);
    this.name = props.name;
    const go = toGoTemplate;
    const labels = { ...appLabels(props.app), [DYNENV_LABEL.environment]: 'preview', [PREVIEW_PART_LABEL]: props.part };
    const ignored = props.ignoreDifferences ?? [];
    const template: ApplicationTemplate = {
      metadata: {
        name: go(props.applicationName),
        labels: { ...labels, [DYNENV_LABEL.pullRequest]: go('{{number}}') },
        ...(props.links && {
          annotations: Object.fromEntries(Object.entries(props.links).map(([name, link]) => [`link.argocd.argoproj.io/${name}`, go(link)])),
        }),
        finalizers: [RESOURCES_FINALIZER],
      },
      spec: {
        project: props.project,
        source: {
          repoURL: props.source.repoURL,
          targetRevision: props.source.targetRevision,
          path: props.source.path,
          kustomize: {
            namespace: go('{{namespace}}'),
            ...(props.images?.length && { images: [...props.images] }),
            patches: props.patches.map((patch) => ({ target: { ...patch.target }, patch: patch.patch })),
          },
        },
        destination: { server: props.server, namespace: go('{{namespace}}') },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: syncOptionsIgnoring(ignored),
          retry: { ...SYNC_RETRY, backoff: { ...SYNC_RETRY.backoff } },
        },
        ...(ignored.length > 0 && { ignoreDifferences: ignoreDifferencesField(ignored) }),
      },
    };

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
        template,
      },
    });
  }
}
