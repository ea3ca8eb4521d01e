import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { resolveImage } from '../config/image-reference.ts';
import { resolveProbes } from '../config/resolve-probes.ts';
import { servicePorts } from '../config/resolve-ports.ts';
import type { EnvValue } from '../config/env-schema.ts';
import type { Resources, ServiceConfig } from '../config/schema.ts';
import { IGNORE_CHECK_ANNOTATION_PREFIX, selectorLabels, serviceLabels } from './labels.ts';
import { RESTRICTED_CONTAINER_SECURITY, TMP_MOUNT, TMP_VOLUME, resourceQuantities, restrictedPodSecurity } from './pod-security.ts';
import { configMapName, envFromSources, literalEnv, referencedEnv } from './workload-env.ts';
import { containerProbes } from './workload-probes.ts';
import { WorkloadService } from './workload-service.ts';

export { configMapName } from './workload-env.ts';

/** Uid and gid the containers run as: the "nonroot" user of distroless and Chainguard images. */
export const RUN_AS_USER = 65532;

export interface ServiceWorkloadProps {
  /** Application the service belongs to; becomes the `app.kubernetes.io/part-of` label. */
  readonly app: string;
  /** The service as declared in dynenv.yaml. */
  readonly service: ServiceConfig;
  /** Number of pods. @default 1 */
  readonly replicas?: number;
  /** Requests and limits of the container. @default the service's `resources` */
  readonly resources?: Resources;
  /** Environment variables: literals through the service's ConfigMap, references in `env:`. @default the service's `env` */
  readonly env?: Readonly<Record<string, EnvValue>>;
}

/** Annotation value on a workload whose service declares it serves no traffic (`probes.readiness: false`). */
export const NO_READINESS_REASON = 'dynenv.yaml: probes.readiness: false (the service serves no traffic)';

/**
 * One service of the application: a Deployment, its ServiceAccount, a ConfigMap of environment variables and,
 * when the service has ports, a ClusterIP Service exposing all of them. Every object has an explicit, stable name
 * (the service's) and explicit `app.kubernetes.io/*` selector labels. Pods run as non-root with a read-only root
 * file system, no privilege escalation, all capabilities dropped and the RuntimeDefault seccomp profile (the
 * "restricted" Pod Security Standard), with the probes the service declares or derives.
 *
 * The objects are cdk8s' typed Kubernetes objects, not cdk8s-plus constructs: they hold exactly what dynenv.yaml
 * says and the hardening listed here, no library defaults.
 */
export class ServiceWorkload extends Construct {
  readonly deployment: kplus.k8s.KubeDeployment;
  readonly serviceAccount: kplus.k8s.KubeServiceAccount;
  readonly configMap: kplus.k8s.KubeConfigMap;
  /** Undefined for a service without ports (a worker). */
  readonly service?: WorkloadService;

  constructor(scope: Construct, id: string, props: ServiceWorkloadProps) {
    super(scope, id);
    const { app, service } = props;
    const labels = serviceLabels(app, service.name);
    const selector = selectorLabels(app, service.name);
    const ports = servicePorts(service);
    const probes = resolveProbes(service, ports);
    const env = props.env ?? service.env;

    this.serviceAccount = new kplus.k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: service.name, labels },
      // The application does not talk to the Kubernetes API; a mounted token would only be something to steal.
      automountServiceAccountToken: false,
    });
    this.configMap = new kplus.k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: configMapName(service.name), labels },
      data: literalEnv(env),
    });

    const references = referencedEnv(env);
    const container: kplus.k8s.Container = {
      name: service.name,
      image: resolveImage(service.image, service.builtHere).reference,
      ...(service.command && { command: [...service.command] }),
      ...(service.args && { args: [...service.args] }),
      ...(ports.length > 0 && {
        ports: ports.map((port) => ({
          name: port.name,
          containerPort: port.containerPort,
          ...(port.protocol !== 'TCP' && { protocol: port.protocol }),
        })),
      }),
      ...(references.length > 0 && { env: references }),
      // The service's own ConfigMap last: its literal variables win over those of the sources before it.
      envFrom: [...envFromSources(service.envFrom), { configMapRef: { name: configMapName(service.name) } }],
      resources: resourceQuantities(props.resources ?? service.resources),
      ...containerProbes(probes),
      securityContext: RESTRICTED_CONTAINER_SECURITY,
      // A read-only root file system still needs somewhere to write temporary files.
      volumeMounts: [TMP_MOUNT],
    };

    this.deployment = new kplus.k8s.KubeDeployment(this, 'Deployment', {
      metadata: {
        name: service.name,
        labels,
        ...(probes.noReadiness && { annotations: { [`${IGNORE_CHECK_ANNOTATION_PREFIX}readiness-probe`]: NO_READINESS_REASON } }),
      },
      spec: {
        replicas: props.replicas ?? 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: service.name,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(RUN_AS_USER),
            containers: [container],
            volumes: [TMP_VOLUME],
          },
        },
      },
    });

    if (ports.length > 0) this.service = new WorkloadService(this, 'Service', { name: service.name, labels, selector, ports });
  }
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
