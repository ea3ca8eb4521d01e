import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { serviceLabels } from './labels.ts';

export interface ServiceIngressProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Service that receives the traffic. */
  readonly service: string;
  /** Port of that Service the traffic goes to (its port named "http", or its only port). */
  readonly port: number;
  /** Host name the Ingress answers for. */
  readonly host: string;
  /** IngressClass. @default the cluster's default */
  readonly ingressClassName?: string;
  /** Serve TLS for the host, with this Secret (undefined: the controller's default certificate). @default no TLS */
  readonly tls?: { readonly secretName?: string; readonly clusterIssuer?: string };
}

/** An Ingress that routes every path of `host` to one service. */
export class ServiceIngress extends Construct {
  constructor(scope: Construct, id: string, props: ServiceIngressProps) {
    super(scope, id);
    // The Service lives in the base, not in this chart: refer to it by name with the L1 construct.
    new kplus.k8s.KubeIngress(this, 'Ingress', {
      metadata: {
        name: props.service,
        labels: serviceLabels(props.app, props.service),
        ...(props.tls?.clusterIssuer !== undefined && { annotations: { 'cert-manager.io/cluster-issuer': props.tls.clusterIssuer } }),
      },
      spec: {
        ...(props.ingressClassName !== undefined && { ingressClassName: props.ingressClassName }),
        ...(props.tls && {
          tls: [{ hosts: [props.host], ...(props.tls.secretName !== undefined && { secretName: props.tls.secretName }) }],
        }),
        rules: [
          {
            host: props.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: props.service, port: { number: props.port } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}
