import { toGoTemplate } from '../config/preview-pattern.ts';
import { RESOURCES_FINALIZER, SYNC_RETRY, type ApplicationTemplate } from './argocd-object.ts';
import { type IgnoredDifference, ignoreDifferencesField, syncOptionsIgnoring } from './ignored-differences.ts';
import { DYNENV_LABEL } from './labels.ts';
import type { KustomizePatchEntry } from './preview-patches.ts';

/** What each Application of a preview's ApplicationSet deploys, and from where. */
export interface PreviewApplicationTemplateProps {
  /** AppProject of the Applications. */
  readonly project: string;
  /** Name pattern of each Application, e.g. "checkout-pr-{{number}}". */
  readonly applicationName: string;
  /** Git repository, revision (a Go template such as `{{ .head_sha }}`, or a branch) and folder each Application deploys. */
  readonly source: { readonly repoURL: string; readonly targetRevision: string; readonly path: string };
  /** Image overrides (`kustomize edit set image`), Go templates. @default none */
  readonly images?: readonly string[];
  /** Kustomize patches each Application adds to its folder, Go templates. */
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
 * The Application an ApplicationSet makes for one pull request: named after it and labelled with its number (and
 * `labels`), deploying `source` into the pull request's namespace, synced automatically with prune and self-heal,
 * and holding the resources finalizer, so that deleting it deletes everything it deployed.
 */
export function previewApplicationTemplate(props: PreviewApplicationTemplateProps, labels: Readonly<Record<string, string>>): ApplicationTemplate {
  const go = toGoTemplate;
  const ignored = props.ignoreDifferences ?? [];
  return {
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
}
