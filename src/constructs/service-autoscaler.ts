import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AutoscalingConfig } from '../config/guardrails-schema.ts';
import { serviceLabels } from './labels.ts';

export interface ServiceAutoscalerProps {
  /** Application name, for labels. */
  readonly app: string;
  /** Service whose workload is scaled. */
  readonly service: string;
  /** Kind of that workload. @default "Deployment" */
  readonly kind?: 'Deployment' | 'StatefulSet';
  /** Bounds and targets. */
  readonly autoscaling: AutoscalingConfig;
}

/**
 * A HorizontalPodAutoscaler for one service's Deployment or StatefulSet. The overlay then leaves `replicas` out of the
 * Deployment, so that Argo CD's self-heal does not reset what the autoscaler decided.
 */
export class ServiceAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: ServiceAutoscalerProps) {
    super(scope, id);
    const { autoscaling } = props;
    const utilization = (name: string, averageUtilization: number): kplus.k8s.MetricSpecV2 => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization } },
    });
    new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'HorizontalPodAutoscaler', {
      metadata: { name: props.service, labels: serviceLabels(props.app, props.service) },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: props.kind ?? 'Deployment', name: props.service },
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [
          utilization('cpu', autoscaling.cpuUtilization),
          ...(autoscaling.memoryUtilization !== undefined ? [utilization('memory', autoscaling.memoryUtilization)] : []),
        ],
      },
    });
  }
}
