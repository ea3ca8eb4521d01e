import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PluginConfig } from '../config/argocd-schema.ts';

export interface PluginWebhookIngressProps {
  readonly metadata: kplus.k8s.ObjectMeta;
  /** The plugin server's Service. */
  readonly serviceName: string;
  readonly webhook: NonNullable<PluginConfig['webhook']>;
  /** @default the cluster's default IngressClass */
  readonly ingressClassName?: string | undefined;
}

/** The Ingress GitHub's webhook comes in through: its one route, nothing else of the plugin server. */
export class PluginWebhookIngress extends Construct {
  constructor(scope: Construct, id: string, props: PluginWebhookIngressProps) {
    super(scope, id);
    const { metadata, webhook } = props;
    new kplus.k8s.KubeIngress(this, 'Resource', {
      metadata: {
        ...metadata,
        ...(webhook.tls?.clusterIssuer !== undefined && { annotations: { 'cert-manager.io/cluster-issuer': webhook.tls.clusterIssuer } }),
      },
      spec: {
        ...(props.ingressClassName !== undefined && { ingressClassName: props.ingressClassName }),
        ...(webhook.tls && { tls: [{ hosts: [webhook.host], ...(webhook.tls.secretName !== undefined && { secretName: webhook.tls.secretName }) }] }),
        rules: [
          {
            host: webhook.host,
            http: {
              // Only the webhook route: getparams stays reachable from the ApplicationSet controller alone.
              paths: [{ path: webhook.path, pathType: 'Exact', backend: { service: { name: props.serviceName, port: { name: 'http' } } } }],
            },
          },
        ],
      },
    });
  }
}
