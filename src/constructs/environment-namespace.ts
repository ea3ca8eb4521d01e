import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PodSecurityLevel } from '../config/guardrails-schema.ts';
import { SYNC_WAVES, syncWave } from './argocd-sync.ts';
import { DYNENV_LABEL, appLabels } from './labels.ts';

export interface EnvironmentNamespaceProps {
  /** Application name, for the `app.kubernetes.io/part-of` label. */
  readonly app: string;
  /** Environment name, for the `dynenv.io/environment` label. */
  readonly environment: string;
  /** Name of the namespace. */
  readonly name: string;
  /** Team that owns the namespace (`dynenv.io/owner`). @default the app name */
  readonly owner?: string;
  /** Pod Security Standard enforced (and audited and warned about) on the namespace. @default "restricted" */
  readonly podSecurity?: PodSecurityLevel;
  /** More labels, e.g. a preview's TTL. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Keep the namespace when the Application is deleted (`argocd.argoproj.io/sync-options: Delete=false`), so
   * deleting prod's Application by mistake cannot take its namespace and volumes with it. @default false
   */
  readonly keepOnDelete?: boolean;
  /**
   * The Argo CD sync wave the Namespace is created in. A preview's fence creates it in the wave of its guardrails,
   * so that the quota, container defaults and NetworkPolicies land in the same pass as the namespace the workload
   * Application is waiting for. @default SYNC_WAVES.namespace
   */
  readonly syncWave?: number;
}

/**
 * The Namespace of an environment, shipped in its overlay so that Argo CD owns it: deleting the Application then
 * deletes the namespace and everything in it (a namespace made by `CreateNamespace=true` would be left behind).
 * It carries the owner and environment labels a janitor or a cost report selects on, and the Pod Security
 * Standards labels the admission controller enforces.
 */
export class EnvironmentNamespace extends Construct {
  readonly namespace: kplus.Namespace;

  constructor(scope: Construct, id: string, props: EnvironmentNamespaceProps) {
    super(scope, id);
    const level = props.podSecurity ?? 'restricted';
    this.namespace = new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...appLabels(props.app),
          [DYNENV_LABEL.environment]: props.environment,
          [DYNENV_LABEL.owner]: props.owner ?? props.app,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/warn': level,
          ...props.labels,
        },
        annotations: {
          ...syncWave(props.syncWave ?? SYNC_WAVES.namespace),
          ...(props.keepOnDelete && { 'argocd.argoproj.io/sync-options': 'Delete=false' }),
        },
      },
    });
  }
}
