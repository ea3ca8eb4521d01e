import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { appLabels } from './labels.ts';

export interface PluginConfigMapProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Name (the ApplicationSet's `configMapRef`). */
  readonly name: string;
  /** Argo CD's namespace: the only one Argo CD reads the ConfigMap from. */
  readonly namespace: string;
  /** Where the plugin server answers: its Service. */
  readonly baseUrl: string;
  /** The Secret and key holding the bearer token, in Argo CD's namespace. */
  readonly tokenSecret: { readonly name: string; readonly key: string };
  /** Seconds Argo CD waits for an answer. */
  readonly requestTimeoutSeconds: number;
}

/**
 * The ConfigMap Argo CD reads to call the plugin: `baseUrl`, and `token` as a reference `$<secret>:<key>` that
 * Argo CD resolves in its own namespace, so no token is ever written here.
 */
export class PluginConfigMap extends Construct {
  constructor(scope: Construct, id: string, props: PluginConfigMapProps) {
    super(scope, id);
    new kplus.k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: props.name, namespace: props.namespace, labels: appLabels(props.app) },
      data: {
        baseUrl: props.baseUrl,
        token: `$${props.tokenSecret.name}:${props.tokenSecret.key}`,
        requestTimeout: String(props.requestTimeoutSeconds),
      },
    });
  }
}
