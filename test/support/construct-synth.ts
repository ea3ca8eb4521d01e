/**
 * Construct tests in cdk8s' own style: build one construct in an empty chart (`Testing.chart()`), synthesize it
 * (`Testing.synth`) and look at the manifests, each checked against its kind's schema.
 */
import { Testing, type Chart } from 'cdk8s';
import { validateObject } from './schemas.ts';

/** The manifests `build` adds to an empty chart, in order; each validates against its kind's schema. */
export function synthConstruct(build: (chart: Chart) => void): any[] {
  const chart = Testing.chart();
  build(chart);
  const manifests = Testing.synth(chart) as any[];
  manifests.forEach((manifest, index) => validateObject(manifest, `manifest ${index}`));
  return manifests;
}
