import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResolvedPort } from '../config/resolve-ports.ts';

export interface WorkloadServiceProps {
  /** Name of the Service: the service's, which callers address. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of the pods it sends traffic to. */
  readonly selector: Readonly<Record<string, string>>;
  /** Every port of the service: Service port → container port, by name. */
  readonly ports: readonly ResolvedPort[];
  /** A headless Service (no cluster IP; DNS answers with the pods), as a StatefulSet's governing Service. @default false */
  readonly headless?: boolean;
}

/** The Service in front of a workload: every declared port, under its name, to its container port. */
export class WorkloadService extends Construct {
  readonly object: kplus.k8s.KubeService;

  constructor(scope: Construct, id: string, props: WorkloadServiceProps) {
    super(scope, id);
    this.object = new kplus.k8s.KubeService(this, 'Resource', {
      metadata: { name: props.name, labels: { ...props.labels } },
      spec: {
        type: 'ClusterIP',
        ...(props.headless && { clusterIp: 'None' }),
        selector: { ...props.selector },
        ports: props.ports.map((port) => ({
          name: port.name,
          port: port.port,
          targetPort: kplus.k8s.IntOrString.fromNumber(port.containerPort),
          protocol: port.protocol,
          ...(port.appProtocol !== undefined && { appProtocol: port.appProtocol }),
        })),
      },
    });
  }
}
