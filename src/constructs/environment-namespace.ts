import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DYNENV_LABEL, appLabels } from './labels.ts';

export interface EnvironmentNamespaceProps {
  /** Application name, for the `app.kubernetes.io/part-of` label. */
  readonly app: string;
  /** Environment name, for the `dynenv.io/environment` label. */
  readonly environment: string;
  /** Name of the namespace. */
  readonly name: string;
}

/**
 * The Namespace of an environment, shipped in its overlay so that Argo CD owns it: deleting the Application then
 * deletes the namespace and everything in it (a namespace made by `CreateNamespace=true` would be left behind).
 */
export class EnvironmentNamespace extends Construct {
  readonly namespace: kplus.Namespace;

  constructor(scope: Construct, id: string, props: EnvironmentNamespaceProps) {
    super(scope, id);
    this.namespace = new kplus.Namespace(this, 'Namespace', {
      metadata: { name: props.name, labels: { ...appLabels(props.app), [DYNENV_LABEL.environment]: props.environment } },
    });
  }
}
