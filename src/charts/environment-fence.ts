import { Construct } from 'constructs';
import { resolveCluster } from '../config/resolve-cluster.ts';
import { resolveContracts } from '../config/resolve-contracts.ts';
import { resolveEgress } from '../config/resolve-egress.ts';
import { resolveGuardrails } from '../config/resolve-guardrails.ts';
import { resolvePreview } from '../config/resolve-preview.ts';
import { SMOKE_TEST_NAME, resolveSmokeTest } from '../config/resolve-smoke-test.ts';
import { httpPort, servicePorts } from '../config/resolve-ports.ts';
import { enabledServices, environmentNamespace } from '../config/resolve.ts';
import type { Config, EnvironmentName, ServiceConfig } from '../config/schema.ts';
import { EnvironmentAccess } from '../constructs/environment-access.ts';
import { EnvironmentNamespace } from '../constructs/environment-namespace.ts';
import { EnvironmentQuota } from '../constructs/environment-quota.ts';
import { SYNC_WAVES } from '../constructs/argocd-sync.ts';
import { DYNENV_LABEL } from '../constructs/labels.ts';
import { NetworkIsolation } from '../constructs/network-isolation.ts';
import { databaseHost, POSTGRES_PORT } from '../constructs/preview-database.ts';
import { contractedServices, ServiceContracts } from '../constructs/service-contracts.ts';
import { ServiceIngress } from '../constructs/service-ingress.ts';
import { SMOKE_TEST_COMPONENT } from '../constructs/smoke-test-job.ts';
import { previewPlaceholder } from './preview-resources.ts';

export interface EnvironmentFenceProps {
  readonly config: Config;
  readonly environment: EnvironmentName;
}

/**
 * The fence around one environment: its Namespace with the Pod Security labels, the quota and container
 * defaults, its column of the RBAC matrix, the Ingress (the host is the environment's to claim, not a workload's),
 * and the NetworkPolicies. dev, staging and prod ship it in their overlay; a preview ships it in
 * `overlays/preview-fence`, which Argo CD deploys from the protected branch, so a pull request can change its
 * workloads but never the fence around them (issue 10).
 */
export class EnvironmentFence extends Construct {
  constructor(scope: Construct, id: string, props: EnvironmentFenceProps) {
    super(scope, id);
    const { config, environment } = props;
    const settings = config.environments[environment];
    const guardrails = resolveGuardrails(config, environment);
    const preview = environment === 'preview' ? resolvePreview(config) : undefined;
    const cluster = resolveCluster(config);
    const smokeTest = preview ? resolveSmokeTest(config) : undefined;

    new EnvironmentNamespace(this, 'Namespace', {
      app: config.app,
      environment,
      name: environmentNamespace(config, environment),
      owner: config.owner,
      podSecurity: guardrails.podSecurity,
      keepOnDelete: environment === 'prod',
      // A preview's workloads come from another Application, which syncs as soon as the namespace exists: no wave
      // may separate the namespace from its guardrails (gitops-engine still creates the Namespace first in a wave).
      ...(preview && { syncWave: SYNC_WAVES.guardrails }),
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
    const services = enabledServices(config, environment);
    for (const service of services) {
      const http = httpPort(servicePorts(service));
      if (!service.ingress || host === undefined || http === undefined) continue;
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
    const contracts = resolveContracts(services);
    new NetworkIsolation(this, 'Network', {
      app: config.app,
      dns: cluster.dns,
      ingressFrom: cluster.ingressFrom,
      ingressBackends,
      // cert-manager's HTTP-01 solver answers in this namespace, behind the same ingress controller.
      acmeSolver: host !== undefined && tls?.clusterIssuer !== undefined && cluster.acmeSolver !== 'dns01',
      egress: resolveEgress(config, environment, cluster),
      contracted: contractedServices(contracts),
      // A preview's smoke test reaches the preview at its URL, through the ingress controller (another namespace).
      ...(smokeTest?.target.kind === 'url' && {
        toIngressController: { name: `allow-${SMOKE_TEST_NAME}`, podLabels: { [DYNENV_LABEL.component]: SMOKE_TEST_COMPONENT }, ports: smokeTest.ingressPorts },
      }),
    });
    new ServiceContracts(this, 'Contracts', {
      app: config.app,
      contracts,
      // A preview runs each database in the namespace; dev, staging and prod reach theirs through `egress` above.
      ownDatabases: new Map(
        preview
          ? services
              .filter((service) => service.database === 'postgres')
              .map((service) => [service.name, { name: databaseHost(service.name), port: POSTGRES_PORT }])
          : [],
      ),
      // A smoke test that tests a service from inside the namespace must get past that service's allowFrom.
      alsoAdmit: smokeTestCaller(smokeTest?.target.kind === 'service' ? config.preview.smokeTest?.service : undefined, services),
    });
  }
}

/** The smoke test's pods as a caller of the service it tests inside the namespace, on that service's HTTP port. */
function smokeTestCaller(serviceName: string | undefined, services: readonly ServiceConfig[]) {
  const service = services.find((candidate) => candidate.name === serviceName);
  const http = service && httpPort(servicePorts(service));
  if (service === undefined || http === undefined) return [];
  return [{ service: service.name, podLabels: { [DYNENV_LABEL.component]: SMOKE_TEST_COMPONENT }, ports: [http] }];
}
