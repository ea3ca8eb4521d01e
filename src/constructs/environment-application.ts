import { Construct } from 'constructs';
import { RESOURCES_FINALIZER, SYNC_OPTIONS, SYNC_RETRY, argocdObject } from './argocd-object.ts';
import { DYNENV_LABEL, appLabels } from './labels.ts';

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
  /** Sync on every change in Git, and with which options; undefined means manual sync. */
  readonly automated?: { readonly prune: boolean; readonly selfHeal: boolean };
}

/**
 * The Argo CD Application of one long-lived environment. It carries the resources finalizer, so deleting it
 * deletes what it deployed (the overlay ships the Namespace; prod's Namespace opts out of that deletion).
 */
export class EnvironmentApplication extends Construct {
  constructor(scope: Construct, id: string, props: EnvironmentApplicationProps) {
    super(scope, id);
    argocdObject(this, 'Application', {
      kind: 'Application',
      name: `${props.app}-${props.environment}`,
      namespace: props.argocdNamespace,
      labels: { ...appLabels(props.app), [DYNENV_LABEL.environment]: props.environment },
      finalizers: [RESOURCES_FINALIZER],
      spec: {
        project: props.project,
        source: { ...props.source },
        destination: { ...props.destination },
        syncPolicy: {
          ...(props.automated && { automated: { prune: props.automated.prune, selfHeal: props.automated.selfHeal } }),
          syncOptions: [...SYNC_OPTIONS],
          retry: SYNC_RETRY,
        },
      },
    });
  }
}
