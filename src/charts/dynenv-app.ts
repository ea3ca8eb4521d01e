import { App } from 'cdk8s';
import { ENVIRONMENT_NAMES, type Config } from '../config/schema.ts';
import { BaseChart } from './base-chart.ts';
import { OverlayChart } from './overlay-chart.ts';
import { ServiceBaseChart } from './service-base-chart.ts';
import { TreeChart } from './tree-chart.ts';

/**
 * Composes every chart of the GitOps tree for one configuration. `outdir` only matters to `cdk8s synth`,
 * which writes one flat manifest per chart there; dynenv's own writer lays out gitops/ from `treeCharts()`.
 */
export function buildApp(config: Config, outdir?: string): App {
  const app = new App({ outdir, outputFileExtension: '.k8s.yaml' });
  new BaseChart(app, 'base', { config });
  for (const service of config.services) {
    new ServiceBaseChart(app, `base-${service.name}`, { app: config.app, service });
  }
  for (const environment of ENVIRONMENT_NAMES) {
    new OverlayChart(app, `overlay-${environment}`, { config, environment });
  }
  return app;
}

/** The charts of `app` that are folders of the GitOps tree, in a stable order. */
export function treeCharts(app: App): TreeChart[] {
  return app.charts.filter((chart): chart is TreeChart => chart instanceof TreeChart);
}
