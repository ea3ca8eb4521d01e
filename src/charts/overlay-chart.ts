import type { Construct } from 'constructs';
import { resolveCluster } from '../config/resolve-cluster.ts';
import { resolveEgress } from '../config/resolve-egress.ts';
import { resolveGuardrails } from '../config/resolve-guardrails.ts';
import { resolvePreview } from '../config/resolve-preview.ts';
import { httpPort, servicePorts } from '../config/resolve-ports.ts';
import { enabledServices, environmentNamespace, resolveService, type ImagePin } from '../config/resolve.ts';
import type { Config, EnvironmentName } from '../config/schema.ts';
import { assignConfigurationWave } from '../constructs/argocd-sync.ts';
import { DisruptionBudget } from '../constructs/disruption-budget.ts';
import { EnvironmentAccess } from '../constructs/environment-access.ts';
import { EnvironmentNamespace } from '../constructs/environment-namespace.ts';
import { EnvironmentQuota } from '../constructs/environment-quota.ts';
import { DYNENV_LABEL } from '../constructs/labels.ts';
import { MigrationJob } from '../constructs/migration-job.ts';
import { NetworkIsolation } from '../constructs/network-isolation.ts';
import { PREVIEW_IDENTITY_CONFIGMAP } from '../constructs/preview-identity.ts';
import { databaseSecretName } from '../constructs/preview-database.ts';
import { runsByDigest } from '../constructs/image-pull-policy.ts';
import { ServiceAutoscaler } from '../constructs/service-autoscaler.ts';
import { ServiceIngress } from '../constructs/service-ingress.ts';
import { type EnvFromReference, WorkloadPatch } from '../constructs/workload-patch.ts';
import { PreviewResources, previewPlaceholder } from './preview-resources.ts';
import { type KustomizationFields, type KustomizeImage, TreeChart } from './tree-chart.ts';

export interface OverlayChartProps {
  readonly config: Config;
  /** The environment this overlay deploys. */
  readonly environment: EnvironmentName;
}

/**
 * `overlays/<environment>/`: the base put in the environment's namespace, with the environment's replicas,
 * resources and env per service, the image pins it runs, and its guardrails: the Namespace object, quota and
 * container defaults, network isolation, the environment's column of the RBAC matrix, ingress, and the
 * disruption budgets and autoscalers it asks for. The preview overlay adds its database and identity.
 */
export class OverlayChart extends TreeChart {
  readonly directory: string;
  private readonly fields: KustomizationFields;

  constructor(scope: Construct, id: string, props: OverlayChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, environment } = props;
    const settings = config.environments[environment];
    const guardrails = resolveGuardrails(config, environment);
    const cluster = resolveCluster(config);
    const namespace = environmentNamespace(config, environment);
    const preview = environment === 'preview' ? resolvePreview(config) : undefined;
    this.directory = `overlays/${environment}`;

    new EnvironmentNamespace(this, 'Namespace', {
      app: config.app,
      environment,
      name: namespace,
      owner: config.owner,
      podSecurity: guardrails.podSecurity,
      keepOnDelete: environment === 'prod',
      ...(preview && { labels: { [DYNENV_LABEL.pullRequest]: '0', [DYNENV_LABEL.ttlHours]: String(config.preview.ttlHours) } }),
    });
    new EnvironmentQuota(this, 'Quota', { app: config.app, quota: guardrails.quota, limitRange: guardrails.limitRange });
    new EnvironmentAccess(this, 'Access', { app: config.app, environment, access: config.access });

    const host = preview?.host !== undefined ? previewPlaceholder(preview.host) : settings.host;
    const tls = preview
      ? preview.host !== undefined && config.preview.tls
        ? { secretName: preview.tlsSecretName && previewPlaceholder(preview.tlsSecretName), clusterIssuer: preview.clusterIssuer }
        : undefined
      : settings.tls;
    const ingressBackends: Array<{ name: string; port: number }> = [];
    const images: KustomizeImage[] = [];
    const services = enabledServices(config, environment);
    for (const service of services) {
      const resolved = resolveService(config, environment, service);
      const autoscaling = settings.services[service.name]?.autoscaling;
      const envFrom: EnvFromReference[] = [
        ...(service.database ? [{ kind: 'Secret' as const, name: databaseSecretName(service.name) }] : []),
        ...(preview ? [{ kind: 'ConfigMap' as const, name: PREVIEW_IDENTITY_CONFIGMAP }] : []),
      ];
      new WorkloadPatch(this, `${service.name}-patch`, { app: config.app, resolved, autoscaled: autoscaling !== undefined, envFrom });
      const http = httpPort(servicePorts(service));
      if (service.ingress && host !== undefined && http !== undefined) {
        new ServiceIngress(this, `${service.name}-ingress`, {
          app: config.app,
          service: service.name,
          port: http.port,
          host,
          ingressClassName: cluster.ingressClassName,
          tls,
        });
        ingressBackends.push({ name: service.name, port: http.containerPort });
      }
      const budget = guardrails.disruptionBudget;
      if (budget && service.kind !== 'CronJob' && (budget.services === 'every' || resolved.replicated)) {
        new DisruptionBudget(this, `${service.name}-pdb`, { app: config.app, service: service.name, budget: budget.budget });
      }
      if (autoscaling && service.kind !== 'CronJob') {
        new ServiceAutoscaler(this, `${service.name}-hpa`, { app: config.app, service: service.name, kind: service.kind, autoscaling });
      }
      const seed = preview ? service.seed : undefined;
      if (service.migrate || seed) {
        new MigrationJob(this, `${service.name}-migrate`, {
          app: config.app,
          service: service.name,
          image: resolved.image.reference,
          migrate: service.migrate,
          seed,
          resources: resolved.resources,
          pinnedByDigest: runsByDigest(resolved.image, resolved.pin),
          envFrom: envFrom.map((source) => (source.kind === 'Secret' ? { secretRef: { name: source.name } } : { configMapRef: { name: source.name } })),
        });
      }
      if (resolved.pin) images.push(imageEntry(resolved.image.repository, resolved.pin));
    }
    new NetworkIsolation(this, 'Network', {
      app: config.app,
      dns: cluster.dns,
      ingressFrom: cluster.ingressFrom,
      ingressBackends,
      // cert-manager's HTTP-01 solver answers in this namespace, behind the same ingress controller.
      acmeSolver: host !== undefined && tls?.clusterIssuer !== undefined && cluster.acmeSolver !== 'dns01',
      egress: resolveEgress(config, environment, cluster),
    });
    if (preview) new PreviewResources(this, 'Preview', { config, preview, cluster });
    assignConfigurationWave(this);

    this.fields = {
      namespace,
      // Each service's base folder, so that a service switched off here (enabled: false) is simply not listed.
      resources: services.map((service) => `../../base/${service.name}`),
      labels: { [DYNENV_LABEL.environment]: environment },
      images,
    };
  }

  override kustomization(): KustomizationFields {
    return this.fields;
  }
}

function imageEntry(name: string, pin: ImagePin): KustomizeImage {
  return 'digest' in pin ? { name, digest: pin.digest } : { name, newTag: pin.tag };
}
