import { App } from 'cdk8s';
import { ENVIRONMENT_NAMES, type Config } from '../config/schema.ts';
import { ArgocdChart } from './argocd-chart.ts';
import { BaseChart } from './base-chart.ts';
import { OverlayChart } from './overlay-chart.ts';
import { PreviewFenceChart } from './preview-fence-chart.ts';
import { ServiceBaseChart } from './service-base-chart.ts';
import { TreeChart } from './tree-chart.ts';

/**
 * Composes every chart of the GitOps tree for one configuration. `outdir` only matters to `cdk8s synth`,
 * which writes one flat manifest per chart there; dynenv's own writer lays out gitops/ from `treeCharts()`.
 */
export function buildApp(config: Config, outdir?: string): App {
  const app = new App({ outdir, outputFileExtension: '.k8s.yaml' });
  const base: TreeChart[] = [new BaseChart(app, 'base', { config })];
  for (const service of config.services) {
    base.push(new ServiceBaseChart(app, `base-${service.name}`, { app: config.app, service, files: config.repositoryFiles }));
  }
  const overlays = new Map(ENVIRONMENT_NAMES.map((environment) => [environment, new OverlayChart(app, `overlay-${environment}`, { config, environment })]));
  const previewFence = new PreviewFenceChart(app, 'overlay-preview-fence', { config });
  // Without a repository there is nothing for Argo CD to deploy from.
  if (config.repository !== undefined) {
    new ArgocdChart(app, 'argocd', {
      config,
      deploys: {
        environments: [...base, ...(['dev', 'staging', 'prod'] as const).map((environment) => overlays.get(environment)!)],
        previewFences: [previewFence],
      },
    });
  }
  return app;
}

/** The charts of `app` that are folders of the GitOps tree, in a stable order. */
export function treeCharts(app: App): TreeChart[] {
  return app.charts.filter((chart): chart is TreeChart => chart instanceof TreeChart);
}
