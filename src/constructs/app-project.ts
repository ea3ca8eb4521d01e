import { Construct } from 'constructs';
import { type ClusterResourceRestriction, argocdObject } from './argocd-object.ts';
import { appLabels } from './labels.ts';

/** A Kubernetes kind, as an AppProject's resource whitelists name it. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface AppProjectProps {
  /** Application name, for labels. */
  readonly app: string;
  readonly name: string;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** What the project is for, shown in Argo CD. */
  readonly description: string;
  /** The only Git repository its Applications may deploy from. */
  readonly sourceRepo: string;
  /** Cluster and namespace (or glob such as "checkout-pr-*") pairs its Applications may deploy to. */
  readonly destinations: ReadonlyArray<{ readonly server: string; readonly namespace: string }>;
  /** Namespaced kinds its Applications may create. */
  readonly namespacedKinds: readonly GroupKind[];
  /**
   * Cluster-scoped kinds (and names) its Applications may create. An empty list allows none: Argo CD permits a
   * cluster-scoped object only when the whitelist names it (AppProject.IsGroupKindNamePermitted).
   */
  readonly clusterKinds: readonly ClusterResourceRestriction[];
}

/**
 * An AppProject: the fence around a set of Applications. Its Applications may deploy only from the
 * application's repository, only to the listed namespaces, and only the listed kinds. Argo CD enforces it on
 * every sync, whatever the rendered manifests say: a namespaced object of another kind, or in a namespace
 * outside the destinations, or a cluster-scoped object not listed, fails the sync.
 */
export class AppProject extends Construct {
  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id);
    argocdObject(this, 'AppProject', {
      kind: 'AppProject',
      name: props.name,
      namespace: props.namespace,
      labels: appLabels(props.app),
      spec: {
        description: props.description,
        sourceRepos: [props.sourceRepo],
        destinations: props.destinations.map((destination) => ({ ...destination })),
        clusterResourceWhitelist: props.clusterKinds.map((kind) => ({ ...kind })),
        namespaceResourceWhitelist: [...props.namespacedKinds].sort(byGroupAndKind).map((kind) => ({ ...kind })),
      },
    });
  }
}

function byGroupAndKind(a: GroupKind, b: GroupKind): number {
  const left = `${a.group}/${a.kind}`;
  const right = `${b.group}/${b.kind}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
