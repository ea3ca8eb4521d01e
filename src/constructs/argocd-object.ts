/**
 * Argo CD's custom resources, written as plain cdk8s ApiObjects (cdk8s-plus has no types for them); their
 * shape is checked against @kubernetes-models/argo-cd by the tests.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

export const ARGOCD_API_VERSION = 'argoproj.io/v1alpha1';

/** Makes deleting an Application delete what it deployed (without it, the resources stay behind). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface ArgocdObjectProps {
  readonly kind: 'AppProject' | 'Application' | 'ApplicationSet';
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** @default none */
  readonly finalizers?: readonly string[];
  readonly spec: Record<string, unknown>;
}

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

/** Retries of a failed sync: a preview's first sync races its image being pushed. */
export const SYNC_RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } };
