import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { resolveImage } from '../config/image-reference.ts';
import { resolveArgocd, type ResolvedArgocd } from '../config/resolve-argocd.ts';
import { resolveCluster } from '../config/resolve-cluster.ts';
import { resolvePreview } from '../config/resolve-preview.ts';
import { environmentNamespace } from '../config/resolve.ts';
import type { Config } from '../config/schema.ts';
import { AppProject, type GroupKind } from '../constructs/app-project.ts';
import { EnvironmentApplication } from '../constructs/environment-application.ts';
import { KustomizePatch } from '../constructs/kustomize-patch.ts';
import { PluginConfigMap } from '../constructs/plugin-config-map.ts';
import { PluginServer, pluginBaseUrl } from '../constructs/plugin-server.ts';
import { PreviewApplicationSet, type PluginInputParameters } from '../constructs/preview-application-set.ts';
import { PreviewSweep } from '../constructs/preview-sweep.ts';
import { TreeChart } from './tree-chart.ts';

export interface ArgocdChartProps {
  readonly config: Config;
  /** The charts each project deploys, whose kinds its AppProject allows. */
  readonly deploys: { readonly environments: readonly TreeChart[]; readonly previews: readonly TreeChart[] };
}

/**
 * `argocd/`: everything Argo CD needs, applied once into Argo CD's namespace (README "Install"): the two
 * AppProjects, the dev, staging and prod Applications, the preview ApplicationSet, the plugin ConfigMap, and
 * the plugin server. Synthesized only when dynenv.yaml names the repository.
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
    const overlayPath = (environment: string) => `${repository.path}/overlays/${environment}`;

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
    });
    new AppProject(this, 'previews-project', {
      app: config.app,
      name: argocd.projects.previews,
      namespace,
      description: `${config.app}: one preview environment per pull request`,
      sourceRepo: repository.url,
      destinations: [{ server: argocd.clusters.preview, namespace: preview.namespaceGlob }],
      namespacedKinds: namespacedKinds(props.deploys.previews),
    });

    for (const environment of ['dev', 'staging', 'prod'] as const) {
      const prod = environment === 'prod';
      new EnvironmentApplication(this, `${environment}-application`, {
        app: config.app,
        environment,
        argocdNamespace: namespace,
        project: argocd.projects.environments,
        source: { repoURL: repository.url, targetRevision: repository.branch, path: overlayPath(environment) },
        destination: { server: argocd.clusters[environment], namespace: environmentNamespace(config, environment) },
        automated: !prod ? { prune: true, selfHeal: true } : config.argocd.prodSync.automated ? config.argocd.prodSync : undefined,
      });
    }

    const previews = new PreviewApplicationSet(this, 'previews', {
      app: config.app,
      argocdNamespace: namespace,
      project: argocd.projects.previews,
      pluginConfigMap: plugin.name,
      parameters: pluginParameters(config, argocd),
      requeueAfterSeconds: config.preview.requeueAfterSeconds,
      source: { repoURL: repository.url, path: overlayPath('preview') },
      server: argocd.clusters.preview,
      preview,
      images: previewImages(config),
      ingressTls: config.preview.tls !== undefined,
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
      previewApplicationSets: [previews.name],
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
    ...(config.preview.namespacePrefix !== undefined && { namespacePrefix: config.preview.namespacePrefix }),
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
