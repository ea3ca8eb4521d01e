/**
 * Argo CD's custom resources, written as plain cdk8s ApiObjects (cdk8s-plus has no types for them) whose specs
 * are typed with @kubernetes-models/argo-cd; the tests also validate them against its schemas.
 */
import type { IAppProject, IApplication, IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

export const ARGOCD_API_VERSION = 'argoproj.io/v1alpha1';

/** Makes deleting an Application delete what it deployed (without it, the resources stay behind). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * One entry of an AppProject's `clusterResourceWhitelist`. `name` (a glob) restricts the entry to objects of that
 * name; Argo CD reads it since v3.3.0 (the models package predates it, hence the extension).
 */
export interface ClusterResourceRestriction {
  readonly group: string;
  readonly kind: string;
  /** @default any name */
  readonly name?: string;
}

export type AppProjectSpec = Omit<IAppProject['spec'], 'clusterResourceWhitelist'> & {
  clusterResourceWhitelist?: ClusterResourceRestriction[];
};
export type ApplicationSpec = IApplication['spec'];
export type ApplicationSetSpec = IApplicationSet['spec'];
/** What an ApplicationSet makes of each parameter set. */
export type ApplicationTemplate = ApplicationSetSpec['template'];
export type SyncPolicy = NonNullable<ApplicationSpec['syncPolicy']>;
export type RetryStrategy = NonNullable<SyncPolicy['retry']>;

interface ArgocdObjectBase {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** @default none */
  readonly finalizers?: readonly string[];
}

export type ArgocdObjectProps = ArgocdObjectBase &
  (
    | { readonly kind: 'AppProject'; readonly spec: AppProjectSpec }
    | { readonly kind: 'Application'; readonly spec: ApplicationSpec }
    | { readonly kind: 'ApplicationSet'; readonly spec: ApplicationSetSpec }
  );

export function argocdObject(scope: Construct, id: string, props: ArgocdObjectProps): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: ARGOCD_API_VERSION,
    kind: props.kind,
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: { ...props.labels },
      ...(props.finalizers && { finalizers: [...props.finalizers] }),
    },
    spec: props.spec,
  });
}

/** Sync options every dynenv Application uses. */
export const SYNC_OPTIONS = [
  // Delete what Git no longer holds only after everything else synced and is healthy.
  'PruneLast=true',
  // Refuse to take over an object another Application already manages (two previews, one namespace).
  'FailOnSharedResource=true',
];

/**
 * Retries of a failed sync, which end: Argo CD retries `limit` times, waiting `duration × factor^n` capped at
 * `maxDuration` (RetryStrategy.NextRetryAt), about five minutes in all. They cover a preview's first sync racing
 * its image being pushed and its fence creating the namespace. Retrying for ever (`limit: -1`) would also hold off
 * a closed pull request's deletion for ever: the controller does not delete an Application while its operation,
 * retries included, is running (issue 15).
 */
export const SYNC_RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } as const satisfies RetryStrategy;
