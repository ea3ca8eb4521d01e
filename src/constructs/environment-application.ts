import { Construct } from 'constructs';
import { RESOURCES_FINALIZER, SYNC_RETRY, argocdObject } from './argocd-object.ts';
import { DYNENV_LABEL, appLabels } from './labels.ts';
import { type IgnoredDifference, ignoreDifferencesField, syncOptionsIgnoring } from './ignored-differences.ts';

export interface EnvironmentApplicationProps {
  /** Application name: the Argo CD Application is "<app>-<environment>". */
  readonly app: string;
  /** dev, staging or prod. */
  readonly environment: string;
  /** Argo CD's namespace. */
  readonly argocdNamespace: string;
  /** AppProject of the long-lived environments. */
  readonly project: string;
  /** Git repository, revision (branch) and path of the environment's overlay. */
  readonly source: { readonly repoURL: string; readonly targetRevision: string; readonly path: string };
  /** Cluster API server and namespace. */
  readonly destination: { readonly server: string; readonly namespace: string };
  /** Sync on every change in Git, and with which options; undefined means manual sync. @default manual */
  readonly automated?: { readonly prune: boolean; readonly selfHeal: boolean };
  /**
   * Carry Argo CD's resources finalizer, so that deleting the Application deletes what it deployed (the Namespace
   * still stays where it says `Delete=false`). Without it, deleting the Application leaves the workloads running.
   */
  readonly deleteResourcesOnDelete: boolean;
  /** Fields someone else owns, which self-heal must not revert. @default none */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
}

/** The Argo CD Application of one long-lived environment. */
export class EnvironmentApplication extends Construct {
  constructor(scope: Construct, id: string, props: EnvironmentApplicationProps) {
    super(scope, id);
    const ignored = props.ignoreDifferences ?? [];
    argocdObject(this, 'Application', {
      kind: 'Application',
      name: `${props.app}-${props.environment}`,
      namespace: props.argocdNamespace,
      labels: { ...appLabels(props.app), [DYNENV_LABEL.environment]: props.environment },
      ...(props.deleteResourcesOnDelete && { finalizers: [RESOURCES_FINALIZER] }),
      spec: {
        project: props.project,
        source: { ...props.source },
        destination: { ...props.destination },
        syncPolicy: {
          ...(props.automated && { automated: { prune: props.automated.prune, selfHeal: props.automated.selfHeal } }),
          syncOptions: syncOptionsIgnoring(ignored),
          retry: { ...SYNC_RETRY, backoff: { ...SYNC_RETRY.backoff } },
        },
        ...(ignored.length > 0 && { ignoreDifferences: ignoreDifferencesField(ignored) }),
      },
    });
  }
}
