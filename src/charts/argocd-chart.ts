import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { resolveImage } from '../config/image-reference.ts';
import { toGoTemplate } from '../config/preview-pattern.ts';
import { resolveArgocd, type ResolvedArgocd } from '../config/resolve-argocd.ts';
import { resolveCluster } from '../config/resolve-cluster.ts';
import { resolveGuardrails } from '../config/resolve-guardrails.ts';
import { previewNamespacePrefix, resolvePreview } from '../config/resolve-preview.ts';
import { environmentNamespace } from '../config/resolve.ts';
import type { Config } from '../config/schema.ts';
import { AppProject, type GroupKind } from '../constructs/app-project.ts';
import { RUN_ONCE_JOBS } from '../constructs/argocd-sync.ts';
import { CREDENTIALS_ACCOUNT } from '../constructs/database-credentials.ts';
import { EnvironmentApplication } from '../constructs/environment-application.ts';
import { KustomizePatch } from '../constructs/kustomize-patch.ts';
import { DYNENV_LABEL, appLabels } from '../constructs/labels.ts';
import { PluginConfigMap } from '../constructs/plugin-config-map.ts';
import { PluginServer, pluginBaseUrl } from '../constructs/plugin-server.ts';
import { PreviewAdmissionPolicy } from '../constructs/preview-admission-policy.ts';
import { PreviewApplicationSet, type PluginInputParameters } from '../constructs/preview-application-set.ts';
import { fencePatches, workloadPatches } from '../constructs/preview-patches.ts';
import { PREVIEW_FENCE_DIRECTORY } from './preview-fence-chart.ts';
import { replicaOwners } from './replica-owners.ts';
import { PreviewSweep } from '../constructs/preview-sweep.ts';
import { TreeChart } from './tree-chart.ts';

export interface ArgocdChartProps {
  readonly config: Config;
  /** The charts each project deploys, whose kinds its AppProject allows. */
  readonly deploys: { readonly environments: readonly TreeChart[]; readonly previewFences: readonly TreeChart[] };
}

/**
 * What a pull request may deploy from its own head: the kinds a preview exists to try (its services, their
 * configuration, jobs and schedules, autoscalers and budgets), and nothing that fences it. Fixed rather than
 * derived from the overlay, so that a pull request may add a kind the base branch has no object of yet (its first
 * CronJob), and so that no fence kind can ever slip in with a change to the overlay.
 */
export const PREVIEW_WORKLOAD_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'batch', kind: 'Job' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
];

/**
 * `argocd/`: everything Argo CD needs, applied once (README "Install"): the AppProjects, the dev, staging and
 * prod Applications, a preview's two ApplicationSets (its fence from the protected branch, its workloads from the
 * pull request's head), the preview admission policies, the plugin ConfigMap, and the plugin server.
 * Synthesized only when dynenv.yaml names the repository.
 */
export class ArgocdChart extends TreeChart {
  readonly directory = 'argocd';

  constructor(scope: Construct, id: string, props: ArgocdChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config } = props;
    const argocd = resolveArgocd(config);
    if (argocd === undefined) throw new Error('ArgocdChart needs a configuration with a repository');
    const preview = resolvePreview(config);
    const cluster = resolveCluster(config);
    const { repository, plugin, namespace } = argocd;
    const overlayPath = (folder: string) => `${repository.path}/${folder}`;
    const previewDestinations = [{ server: argocd.clusters.preview, namespace: preview.namespaceGlob }];

    new AppProject(this, 'environments-project', {
      app: config.app,
      name: argocd.projects.environments,
      namespace,
      description: `${config.app}: the long-lived environments dev, staging and prod`,
      sourceRepo: repository.url,
      destinations: (['dev', 'staging', 'prod'] as const).map((environment) => ({
        server: argocd.clusters[environment],
        namespace: environmentNamespace(config, environment),
      })),
      namespacedKinds: namespacedKinds(props.deploys.environments),
      clusterKinds: (['dev', 'staging', 'prod'] as const).map((environment) => ({ ...NAMESPACE_KIND, name: environmentNamespace(config, environment) })),
    });
    new AppProject(this, 'previews-project', {
      app: config.app,
      name: argocd.projects.previews,
      namespace,
      description: `${config.app}: each pull request's workloads, from its head commit`,
      sourceRepo: repository.url,
      destinations: previewDestinations,
      namespacedKinds: PREVIEW_WORKLOAD_KINDS,
      clusterKinds: [],
    });
    new AppProject(this, 'preview-fences-project', {
      app: config.app,
      name: argocd.projects.previewFences,
      namespace,
      description: `${config.app}: each pull request's fence (namespace, quota, network, RBAC, ingress), from ${repository.branch}`,
      sourceRepo: repository.url,
      destinations: previewDestinations,
      namespacedKinds: namespacedKinds(props.deploys.previewFences),
      clusterKinds: [{ ...NAMESPACE_KIND, name: preview.namespaceGlob }],
    });

    for (const environment of ['dev', 'staging', 'prod'] as const) {
      const prod = environment === 'prod';
      new EnvironmentApplication(this, `${environment}-application`, {
        app: config.app,
        environment,
        argocdNamespace: namespace,
        project: argocd.projects.environments,
        source: { repoURL: repository.url, targetRevision: repository.branch, path: overlayPath(`overlays/${environment}`) },
        destination: { server: argocd.clusters[environment], namespace: environmentNamespace(config, environment) },
        automated: !prod ? { prune: true, selfHeal: true } : config.argocd.prodSync.automated ? config.argocd.prodSync : undefined,
        deleteResourcesOnDelete: !prod || config.argocd.prodSync.deleteResourcesOnDelete,
        ignoreDifferences: replicaOwners(config, environment),
      });
    }

    const shared = {
      app: config.app,
      argocdNamespace: namespace,
      pluginConfigMap: plugin.name,
      // Both halves ask the same question, so both list the same pull requests and are pruned together.
      parameters: pluginParameters(config, argocd),
      requeueAfterSeconds: config.preview.requeueAfterSeconds,
      server: argocd.clusters.preview,
    };
    const links = {
      'pull-request': '{{url}}',
      ...(preview.host !== undefined && { preview: `${preview.scheme}://${preview.host}` }),
    };
    const fences = new PreviewApplicationSet(this, 'preview-fences', {
      ...shared,
      name: `${config.app}-preview-fences`,
      part: 'fence',
      project: argocd.projects.previewFences,
      applicationName: preview.fenceApplicationNamePattern,
      // The protected branch, never `{{ .target_branch }}`: a pull request may target a branch its author pushed.
      // Nothing of the pull request's is rendered into its own fence.
      source: { repoURL: repository.url, targetRevision: repository.branch, path: overlayPath(PREVIEW_FENCE_DIRECTORY) },
      patches: fencePatches(preview, config.preview.tls !== undefined),
      links,
    });
    const previews = new PreviewApplicationSet(this, 'previews', {
      ...shared,
      name: `${config.app}-previews`,
      part: 'workloads',
      project: argocd.projects.previews,
      applicationName: preview.applicationNamePattern,
      source: { repoURL: repository.url, targetRevision: toGoTemplate('{{head_sha}}'), path: overlayPath('overlays/preview') },
      images: previewImages(config).map((image) => `${image}:${toGoTemplate(preview.imageTag)}`),
      patches: workloadPatches(preview),
      links,
      // Plain Jobs (a preview's seed) run once: a later commit's image must neither update nor fail them.
      ignoreDifferences: [...replicaOwners(config, 'preview'), ...RUN_ONCE_JOBS.ignoreDifferences],
    });
    new PreviewAdmissionPolicy(this, 'preview-admission', {
      app: config.app,
      namespaceLabels: { ...appLabels(config.app), [DYNENV_LABEL.environment]: 'preview' },
      namespaceStem: preview.namespaceStem,
      podSecurity: resolveGuardrails(config, 'preview').podSecurity,
      hostPattern: preview.host,
      argocd: {
        controllerUser: `system:serviceaccount:${namespace}:${config.argocd.applicationControllerServiceAccount}`,
        trackingMethod: config.argocd.resourceTrackingMethod,
        instanceLabelKey: config.argocd.instanceLabelKey,
        applicationNames: { workloads: preview.applicationNamePattern, fence: preview.fenceApplicationNamePattern },
      },
      fenceIdentity: { serviceAccounts: [CREDENTIALS_ACCOUNT], podLabels: { [DYNENV_LABEL.component]: CREDENTIALS_ACCOUNT } },
    });
    new PluginConfigMap(this, 'plugin-config', {
      app: config.app,
      name: plugin.name,
      namespace,
      baseUrl: pluginBaseUrl(plugin.name, namespace, plugin.port),
      tokenSecret: plugin.tokenSecret,
      requestTimeoutSeconds: plugin.requestTimeoutSeconds,
    });
    new PluginServer(this, 'plugin-server', {
      app: config.app,
      namespace,
      plugin,
      repositories: [repository.github],
      applicationSetControllerLabels: config.argocd.applicationSetControllerLabels,
      ingressFrom: cluster.ingressFrom,
      dns: cluster.dns,
      ingressClassName: cluster.ingressClassName,
      pluginConfigMap: plugin.name,
      previewApplicationSets: [fences.name, previews.name],
      apiServerPorts: cluster.apiServerPorts,
    });
    if (plugin.sweep.enabled) {
      new PreviewSweep(this, 'sweep', {
        app: config.app,
        namespace,
        image: plugin.image,
        schedule: plugin.sweep.schedule,
        graceMinutes: plugin.sweep.graceMinutes,
        repositories: [repository.github],
        githubSecret: plugin.githubSecret,
        ...(plugin.githubApiUrl !== undefined && { githubApiUrl: plugin.githubApiUrl }),
      });
    }
  }
}

const NAMESPACE_KIND = { group: '', kind: 'Namespace' } as const;

/** The plugin generator's `input.parameters`, from `preview.pullRequests`. */
export function pluginParameters(config: Config, argocd: ResolvedArgocd): PluginInputParameters {
  const filter = config.preview.pullRequests;
  return {
    repo: argocd.repository.github,
    labels: filter.labels,
    excludeLabels: filter.excludeLabels,
    includeDrafts: filter.includeDrafts,
    includeForks: filter.includeForks,
    targetBranches: filter.targetBranches,
    ...(filter.branchMatch !== undefined && { branchMatch: filter.branchMatch }),
    ...(filter.titleMatch !== undefined && { titleMatch: filter.titleMatch }),
    maxAgeHours: config.preview.ttlHours,
    ...(config.preview.keepLabel !== undefined && { keepLabel: config.preview.keepLabel }),
    ...(filter.limit !== undefined && { limit: filter.limit }),
    namespacePrefix: previewNamespacePrefix(config),
  };
}

/**
 * Images that run the pull request's build: those this repository builds, of services the preview environment does
 * not pin itself. Third-party images (a database, busybox) are never re-tagged: no pull request builds them.
 */
function previewImages(config: Config): string[] {
  const pinned = config.environments.preview.services;
  const images = config.services
    .filter((service) => pinned[service.name]?.digest === undefined && pinned[service.name]?.imageTag === undefined)
    .map((service) => resolveImage(service.image, service.builtHere))
    .filter((image) => image.builtHere)
    .map((image) => image.repository);
  return [...new Set(images)];
}

/** The namespaced kinds the charts write (patches excepted), as AppProject whitelist entries. */
export function namespacedKinds(charts: readonly TreeChart[]): GroupKind[] {
  const kinds = new Map<string, GroupKind>();
  for (const chart of charts) {
    for (const object of chart.node.findAll()) {
      if (!(object instanceof ApiObject) || KustomizePatch.isPatch(object) || object.kind === 'Namespace') continue;
      const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
      kinds.set(`${group}/${object.kind}`, { group, kind: object.kind });
    }
  }
  return [...kinds.values()];
}
