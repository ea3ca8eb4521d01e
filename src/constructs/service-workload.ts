import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Resources, ServiceConfig } from '../config/schema.ts';
import { selectorLabels, serviceLabels } from './labels.ts';
import { dataPlaceholder, setConfigMapData } from './config-map-data.ts';

/** Port the Service exposes in front of every HTTP container, so callers write `http://api` without a port. */
export const SERVICE_PORT = 80;

/** Uid and gid the containers run as: the "nonroot" user of distroless and Chainguard images. */
export const RUN_AS_USER = 65532;

/** The name of a service's ConfigMap of environment variables. */
export function configMapName(service: string): string {
  return `${service}-config`;
}

export interface ServiceWorkloadProps {
  /** Application the service belongs to; becomes the `app.kubernetes.io/part-of` label. */
  readonly app: string;
  /** The service as declared in dynenv.yaml. */
  readonly service: ServiceConfig;
  /** Number of pods. @default 1 */
  readonly replicas?: number;
  /** Requests and limits of the container. @default the service's `resources` */
  readonly resources?: Resources;
  /** Environment variables, delivered through the service's ConfigMap. @default the service's `env` */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * One service of the application: a Deployment, its ServiceAccount, a ConfigMap of environment variables and,
 * when the service has a port, a ClusterIP Service. Every object has an explicit, stable name (the service's)
 * and explicit `app.kubernetes.io/*` selector labels. Pods run as non-root with a read-only root file system,
 * no privilege escalation, all capabilities dropped and the RuntimeDefault seccomp profile (the "restricted"
 * Pod Security Standard), with probes on the health path or command.
 *
 * The image carries no tag or digest: each overlay pins one through its kustomize `images:` entry.
 */
export class ServiceWorkload extends Construct {
  readonly deployment: kplus.Deployment;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly configMap: kplus.ConfigMap;
  /** Undefined for a service without a port (a worker). */
  readonly service?: kplus.Service;

  constructor(scope: Construct, id: string, props: ServiceWorkloadProps) {
    super(scope, id);
    const { app, service } = props;
    const labels = serviceLabels(app, service.name);
    const selector = selectorLabels(app, service.name);

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: service.name, labels },
      // The application does not talk to the Kubernetes API; a mounted token would only be something to steal.
      automountToken: false,
    });

    const env = props.env ?? service.env;
    this.configMap = new kplus.ConfigMap(this, 'ConfigMap', { metadata: { name: configMapName(service.name), labels }, data: dataPlaceholder(env) });
    setConfigMapData(this.configMap, env);

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: service.name, labels },
      replicas: props.replicas ?? 1,
      select: false,
      podMetadata: { labels: selector },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: RUN_AS_USER, group: RUN_AS_USER, fsGroup: RUN_AS_USER },
      containers: [
        {
          name: service.name,
          image: service.image,
          portNumber: service.port,
          command: service.command,
          args: service.args,
          envFrom: [kplus.Env.fromConfigMap(this.configMap)],
          ...probes(service),
          securityContext: {
            ensureNonRoot: true,
            user: RUN_AS_USER,
            group: RUN_AS_USER,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          // A read-only root file system still needs somewhere to write temporary files.
          volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp') }],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selector }));

    const deployment = ApiObject.of(this.deployment);
    // cdk8s-plus labels pods with their construct path; a rename would change the pods' identity.
    deployment.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    // Quantities exactly as written in dynenv.yaml ("1Gi" stays "1Gi"), not re-expressed by cdk8s-plus. The
    // patch applies to the L1 object's props, whose quantities are k8s.Quantity values.
    const resources = containerResources(props.resources ?? service.resources);
    const quantities = Object.fromEntries(
      Object.entries(resources).map(([kind, amounts]) => [
        kind,
        Object.fromEntries(Object.entries(amounts).map(([name, value]) => [name, kplus.k8s.Quantity.fromString(value)])),
      ]),
    );
    deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/resources', quantities));
    if (service.port !== undefined) {
      deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/ports/0/name', 'http'));
    }

    if (service.port !== undefined) {
      this.service = new kplus.Service(this, 'Service', {
        metadata: { name: service.name, labels },
        type: kplus.ServiceType.CLUSTER_IP,
        ports: [{ name: 'http', port: SERVICE_PORT, targetPort: service.port, protocol: kplus.Protocol.TCP }],
      });
      for (const [key, value] of Object.entries(selector)) this.service.selectLabel(key, value);
    }
  }
}

/** Readiness, liveness and startup probes on the health path; readiness and liveness on the health command. */
function probes(service: ServiceConfig): Pick<kplus.ContainerProps, 'readiness' | 'liveness' | 'startup'> {
  if (service.healthPath !== undefined && service.port !== undefined) {
    const check = (options: kplus.HttpGetProbeOptions) => kplus.Probe.fromHttpGet(service.healthPath!, { port: service.port, ...options });
    return {
      readiness: check({ periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
      liveness: check({ periodSeconds: Duration.seconds(20), failureThreshold: 3 }),
      // Up to 150 s to start before liveness takes over, without making liveness itself slow to react.
      startup: check({ periodSeconds: Duration.seconds(5), failureThreshold: 30 }),
    };
  }
  const command = service.healthCommand ?? [];
  return {
    readiness: kplus.Probe.fromCommand(command, { periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
    liveness: kplus.Probe.fromCommand(command, { periodSeconds: Duration.seconds(30), failureThreshold: 3 }),
  };
}

/** The container `resources` object, with only the quantities that are set. */
export function containerResources(resources: Resources): Record<string, Record<string, string>> {
  const pick = (amounts: Resources['requests']) =>
    Object.fromEntries(Object.entries(amounts).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const out: Record<string, Record<string, string>> = {};
  const requests = pick(resources.requests);
  const limits = pick(resources.limits);
  if (Object.keys(limits).length) out.limits = limits;
  if (Object.keys(requests).length) out.requests = requests;
  return out;
}
